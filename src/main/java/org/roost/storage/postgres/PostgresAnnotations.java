package org.roost.storage.postgres;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.roost.mail.MailboxNotFoundException;
import org.roost.storage.KeptAnnotations;

/**
 * One user's annotations (RFC 5464) in {@code mailbox_annotations}, by mailbox row (so RENAME keeps them and DELETE
 * takes them: the foreign key cascades), and {@code server_annotations}, by user. An update locks the row that owns
 * the entries (the mailbox's, or the user's for the server's) for its transaction, so two replicas' changes of one
 * mailbox's entries follow each other and the caller's bound on their number holds. Entries are read in the order
 * they were first set, as a file keeps them.
 */
final class PostgresAnnotations implements KeptAnnotations {
    private final MailDatabase database;
    private final long userId;

    PostgresAnnotations(MailDatabase database, long userId) {
        this.database = database;
        this.userId = userId;
    }

    /** Whose entries: a mailbox row's, or the user's own of the server. */
    private record Owner(String table, String column, long id) {}

    @Override
    public SequencedMap<String, byte[]> read(String mailbox) throws IOException {
        return database.read(c -> entries(c, owner(c, mailbox, "")));
    }

    @Override
    public <T> T update(String mailbox, Edit<T> edit) throws IOException {
        return database.transaction(c -> {
            var owner = owner(c, mailbox, " FOR UPDATE");
            var before = entries(c, owner);
            var after = new LinkedHashMap<>(before);
            var result = edit.apply(after);
            store(c, owner, before, after);
            return result;
        });
    }

    /** The owner of {@code mailbox}'s entries, its row read with {@code lock} (the user's row only to lock it). */
    private Owner owner(Connection c, String mailbox, String lock) throws SQLException, IOException {
        if (mailbox.equals(SERVER)) {
            if (!lock.isEmpty()) {
                try (var s = database.prepare(c, "SELECT id FROM mail_users WHERE id = ?" + lock)) {
                    s.setLong(1, userId);
                    s.executeQuery().close();
                }
            }
            return new Owner("server_annotations", "user_id", userId);
        }
        var canonical = MailboxNameRules.canonical(mailbox);
        try (var s = database.prepare(c, "SELECT id FROM mailboxes WHERE user_id = ? AND name = ?" + lock)) {
            s.setLong(1, userId);
            s.setString(2, canonical);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new MailboxNotFoundException("no such mailbox: " + canonical);
                }
                return new Owner("mailbox_annotations", "mailbox_id", rows.getLong(1));
            }
        }
    }

    private SequencedMap<String, byte[]> entries(Connection c, Owner owner) throws SQLException {
        try (var s = database.prepare(c, "SELECT name, value FROM " + owner.table() + " WHERE " + owner.column()
                + " = ? ORDER BY position")) {
            s.setLong(1, owner.id());
            var entries = new LinkedHashMap<String, byte[]>();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    entries.put(rows.getString(1), rows.getBytes(2));
                }
            }
            return entries;
        }
    }

    /** Writes the difference from {@code before} to {@code after}: the entries gone deleted, the changed set. */
    private void store(Connection c, Owner owner, SequencedMap<String, byte[]> before,
            SequencedMap<String, byte[]> after) throws SQLException {
        try (var delete = database.prepare(c, "DELETE FROM " + owner.table() + " WHERE " + owner.column()
                + " = ? AND name = ?"); var set = database.prepare(c, "INSERT INTO " + owner.table() + " ("
                + owner.column() + ", name, value) VALUES (?, ?, ?) ON CONFLICT (" + owner.column() + ", name)"
                + " DO UPDATE SET value = EXCLUDED.value")) {
            for (var name : before.keySet()) {
                if (!after.containsKey(name)) {
                    delete.setLong(1, owner.id());
                    delete.setString(2, name);
                    delete.addBatch();
                }
            }
            for (var entry : after.entrySet()) {
                if (!Arrays.equals(before.get(entry.getKey()), entry.getValue())) {
                    set.setLong(1, owner.id());
                    set.setString(2, entry.getKey());
                    set.setBytes(3, entry.getValue());
                    set.addBatch();
                }
            }
            delete.executeBatch();
            set.executeBatch();
        }
    }
}
