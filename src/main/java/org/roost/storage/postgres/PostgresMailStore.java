package org.roost.storage.postgres;

import static org.roost.storage.postgres.MailboxNameRules.DELIMITER;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.SpecialUse;
import org.roost.mail.StorageException;
import org.roost.storage.KeptAnnotations;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.storage.QuotaStore;
import org.roost.storage.files.Trees;

/**
 * One user's mailboxes in the database: the {@code mail_users} row of the owner, its {@code mailboxes},
 * {@code subscriptions} and {@code special_uses}. Each mutation is one statement or one transaction.
 */
final class PostgresMailStore implements MailStore {
    private final MailDatabase database;
    private final Bodies bodies;
    private final ChangeFeed changes;
    private final long userId;
    /** Where this replica keeps its index files of the user's mailboxes, one directory per mailbox row. */
    private final Path indexRoot;

    private PostgresMailStore(MailDatabase database, Bodies bodies, ChangeFeed changes, long userId, Path indexRoot) {
        this.database = database;
        this.bodies = bodies;
        this.changes = changes;
        this.userId = userId;
        this.indexRoot = indexRoot;
    }

    /** The store of {@code owner}, made with its INBOX on first use. */
    static PostgresMailStore open(MailDatabase database, Bodies bodies, ChangeFeed changes, String owner,
            Path indexRoot) throws IOException {
        long userId = database.transaction(c -> {
            try (var s = database.prepare(c, "INSERT INTO mail_users (owner) VALUES (?) ON CONFLICT (owner)"
                    + " DO UPDATE SET owner = excluded.owner RETURNING id")) {
                s.setString(1, owner);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    long id = rows.getLong(1);
                    insertMailbox(database, c, id, MailboxNames.INBOX, true);
                    return id;
                }
            }
        });
        return new PostgresMailStore(database, bodies, changes, userId, indexRoot);
    }

    /** Inserts a mailbox row; false when one of that name exists (and {@code quiet}, else that is an error). */
    private static boolean insertMailbox(MailDatabase database, Connection c, long userId, String name, boolean quiet)
            throws SQLException {
        try (var s = database.prepare(c, "INSERT INTO mailboxes (user_id, name) VALUES (?, ?)"
                + (quiet ? " ON CONFLICT DO NOTHING" : ""))) {
            s.setLong(1, userId);
            s.setString(2, name);
            return s.executeUpdate() == 1;
        }
    }

    @Override
    public char delimiter() {
        return DELIMITER;
    }

    @Override
    public List<MailboxInfo> list() throws IOException {
        var names = new HashSet<String>(names());
        var parents = new TreeMap<String, Boolean>();
        for (var name : names) {
            for (int i = name.indexOf(DELIMITER); i > 0; i = name.indexOf(DELIMITER, i + 1)) {
                parents.put(name.substring(0, i), true);
            }
        }
        var infos = new ArrayList<MailboxInfo>();
        for (var name : names) {
            infos.add(new MailboxInfo(name, true, parents.containsKey(name)));
        }
        for (var parent : parents.keySet()) {
            if (!names.contains(parent)) {
                infos.add(new MailboxInfo(parent, false, true));
            }
        }
        return infos;
    }

    private List<String> names() throws IOException {
        return userNames("SELECT name FROM mailboxes WHERE user_id = ?", new ArrayList<>());
    }

    /** The names {@code query} (with the user's id for its one parameter) selects, added to {@code names}. */
    private <C extends Collection<String>> C userNames(String query, C names) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, query)) {
                s.setLong(1, userId);
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
                return names;
            }
        });
    }

    @Override
    public boolean exists(String name) throws IOException {
        String canonical;
        try {
            canonical = MailboxNameRules.canonical(name);
        } catch (InvalidMailboxNameException e) {
            return false;
        }
        return row(canonical) != null;
    }

    @Override
    public void create(String name) throws IOException {
        var canonical = MailboxNameRules.canonical(name);
        try {
            database.read(c -> insertMailbox(database, c, userId, canonical, false));
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql && MailDatabase.duplicate(sql)) {
                throw new MailboxExistsException("mailbox exists: " + canonical);
            }
            throw e;
        }
    }

    @Override
    public void delete(String name) throws IOException {
        var canonical = MailboxNameRules.canonical(name);
        if (canonical.equals(MailboxNames.INBOX)) {
            throw new StorageException("INBOX cannot be deleted");
        }
        long id = database.transaction(c -> {
            try (var s = database.prepare(c, "DELETE FROM mailboxes WHERE user_id = ? AND name = ? RETURNING id")) {
                s.setLong(1, userId);
                s.setString(2, canonical);
                try (var rows = s.executeQuery()) {
                    if (!rows.next()) {
                        throw new MailboxNotFoundException("mailbox does not exist: " + canonical);
                    }
                    setSpecialUses(c, canonical, Set.of());
                    return rows.getLong(1);
                }
            }
        });
        Trees.delete(indexRoot.resolve(Long.toString(id)));
    }

    @Override
    public void rename(String from, String to) throws IOException {
        var source = MailboxNameRules.canonical(from);
        var target = MailboxNameRules.canonical(to);
        if (target.equals(MailboxNames.INBOX) || target.equals(source)) {
            throw new MailboxExistsException("mailbox exists: " + target);
        }
        if (MailboxNameRules.isInferior(target, source)) {
            throw new InvalidMailboxNameException("cannot rename a mailbox into itself");
        }
        try {
            database.transaction(c -> {
                if (source.equals(MailboxNames.INBOX)) {
                    moveInboxMessages(c, target);
                } else if (renameTree(c, "mailboxes", source, target) == 0) {
                    throw new MailboxNotFoundException("mailbox does not exist: " + source);
                }
                moveSpecialUses(c, source, target);
                return null;
            });
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql && MailDatabase.duplicate(sql)) {
                throw new MailboxExistsException("mailbox exists: " + target);
            }
            throw e;
        }
    }

    /** Renames {@code source} and everything below it in {@code table}; returns how many rows. */
    private int renameTree(Connection c, String table, String source, String target) throws SQLException {
        try (var s = database.prepare(c, "UPDATE " + table + " SET name = ? || substr(name, ?) WHERE user_id = ?"
                + " AND (name = ? OR left(name, ?) = ?)")) {
            s.setString(1, target);
            s.setInt(2, source.length() + 1);
            s.setLong(3, userId);
            s.setString(4, source);
            s.setInt(5, source.length() + 1);
            s.setString(6, source + DELIMITER);
            return s.executeUpdate();
        }
    }

    /** The special uses of {@code source} and below go with it, replacing any given to the new names before. */
    private void moveSpecialUses(Connection c, String source, String target) throws SQLException {
        try (var s = database.prepare(c, "DELETE FROM special_uses WHERE user_id = ? AND (name = ? OR left(name, ?) = ?)")) {
            s.setLong(1, userId);
            s.setString(2, target);
            s.setInt(3, target.length() + 1);
            s.setString(4, target + DELIMITER);
            s.executeUpdate();
        }
        renameTree(c, "special_uses", source, target);
    }

    /**
     * RENAME INBOX: a new mailbox takes INBOX's messages and UIDs, from INBOX's HIGHESTMODSEQ on (no message of it has
     * a MODSEQ above its mailbox's), and a copy of its annotations (RFC 5464 §4.1); INBOX stays, empty, its UIDNEXT and
     * annotations kept, its messages recorded as expunged at the MODSEQ of the move, so that a replica that holds INBOX
     * open reads only that change (and QRESYNC reports them).
     */
    private void moveInboxMessages(Connection c, String target) throws SQLException, IOException {
        long inbox;
        long modseq;
        try (var s = database.prepare(c, "UPDATE mailboxes SET highest_modseq = highest_modseq + 1, "
                + PostgresMailbox.CARRY_SUMMARY + " WHERE user_id = ? AND name = ? RETURNING id, highest_modseq")) {
            s.setLong(1, userId); // (locks INBOX's row: no APPEND meanwhile)
            s.setString(2, MailboxNames.INBOX);
            try (var rows = s.executeQuery()) {
                rows.next();
                inbox = rows.getLong(1);
                modseq = rows.getLong(2);
            }
        }
        try (var s = database.prepare(c, "INSERT INTO mailboxes (user_id, name, uid_next, highest_modseq, summary_modseq)"
                + " SELECT user_id, ?, uid_next, highest_modseq, highest_modseq FROM mailboxes WHERE id = ? RETURNING id")) {
            s.setString(1, target);
            s.setLong(2, inbox);
            try (var rows = s.executeQuery(); var m = database.prepare(c, "WITH moved AS (UPDATE messages SET"
                    + " mailbox_id = ? WHERE mailbox_id = ? RETURNING uid) INSERT INTO expunged (mailbox_id, uid, modseq)"
                    + " SELECT ?, uid, ? FROM moved ON CONFLICT DO NOTHING"); var a = database.prepare(c,
                    "INSERT INTO mailbox_annotations (mailbox_id, name, value) SELECT ?, name, value"
                            + " FROM mailbox_annotations WHERE mailbox_id = ? ORDER BY position")) {
                rows.next();
                m.setLong(1, rows.getLong(1));
                m.setLong(2, inbox);
                m.setLong(3, inbox);
                m.setLong(4, modseq);
                m.executeUpdate();
                a.setLong(1, rows.getLong(1));
                a.setLong(2, inbox);
                a.executeUpdate();
            }
        }
    }

    @Override
    public Set<String> subscriptions() throws IOException {
        return userNames("SELECT name FROM subscriptions WHERE user_id = ?", new HashSet<>());
    }

    @Override
    public void subscribe(String name) throws IOException {
        changeSubscription("INSERT INTO subscriptions (user_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", name);
    }

    @Override
    public void unsubscribe(String name) throws IOException {
        changeSubscription("DELETE FROM subscriptions WHERE user_id = ? AND name = ?", name);
    }

    private void changeSubscription(String sql, String name) throws IOException {
        var canonical = MailboxNameRules.canonical(name);
        database.read(c -> {
            try (var s = database.prepare(c, sql)) {
                s.setLong(1, userId);
                s.setString(2, canonical);
                return s.executeUpdate();
            }
        });
    }

    @Override
    public Map<String, Set<SpecialUse>> specialUses() throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT name, uses FROM special_uses WHERE user_id = ?")) {
                s.setLong(1, userId);
                var uses = new HashMap<String, Set<SpecialUse>>();
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        var set = EnumSet.noneOf(SpecialUse.class);
                        for (var attribute : (String[]) rows.getArray(2).getArray()) {
                            SpecialUse.named(attribute).ifPresent(set::add);
                        }
                        uses.put(rows.getString(1), set);
                    }
                }
                return uses;
            }
        });
    }

    @Override
    public void setSpecialUses(String name, Set<SpecialUse> uses) throws IOException {
        var canonical = MailboxNameRules.canonical(name);
        database.read(c -> {
            setSpecialUses(c, canonical, uses);
            return null;
        });
    }

    private void setSpecialUses(Connection c, String name, Set<SpecialUse> uses) throws SQLException {
        var sql = uses.isEmpty() ? "DELETE FROM special_uses WHERE user_id = ? AND name = ?"
                : "INSERT INTO special_uses (user_id, name, uses) VALUES (?, ?, ?) ON CONFLICT (user_id, name)"
                        + " DO UPDATE SET uses = excluded.uses";
        try (var s = database.prepare(c, sql)) {
            s.setLong(1, userId);
            s.setString(2, name);
            if (!uses.isEmpty()) {
                s.setArray(3, c.createArrayOf("text", uses.stream().map(SpecialUse::attribute).toArray()));
            }
            s.executeUpdate();
        }
    }

    @Override
    public MailboxStore mailbox(String name) throws IOException {
        var canonical = MailboxNameRules.canonical(name);
        var row = row(canonical);
        if (row == null) {
            throw new MailboxNotFoundException("mailbox does not exist: " + canonical);
        }
        var indexDirectory = Files.createDirectories(indexRoot.resolve(Long.toString(row.id())));
        return new PostgresMailbox(database, bodies, changes, row.id(), canonical, row.uidValidity(), row.uidNext(),
                row.highestModseq(), indexDirectory);
    }

    private record Row(long id, long uidValidity, long uidNext, long highestModseq) {}

    private Row row(String canonical) throws IOException {
        return database.read(c -> row(c, canonical));
    }

    private Row row(Connection c, String canonical) throws SQLException {
        try (var s = database.prepare(c, "SELECT id, uid_validity, uid_next, highest_modseq FROM mailboxes"
                + " WHERE user_id = ? AND name = ?")) {
            s.setLong(1, userId);
            s.setString(2, canonical);
            try (var rows = s.executeQuery()) {
                return rows.next() ? new Row(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4)) : null;
            }
        }
    }

    @Override
    public QuotaStore quota() {
        return new PostgresQuota(database, userId);
    }

    @Override
    public KeptAnnotations keptAnnotations() {
        return new PostgresAnnotations(database, userId);
    }
}
