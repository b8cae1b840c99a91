package org.roost.storage.postgres;

import java.io.IOException;
import java.sql.Types;
import java.util.Optional;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;
import org.roost.storage.QuotaStore;

/**
 * A user's quota account in the {@code mail_users} row, shared by every replica: each change adds to it in one
 * statement, so concurrent additions never lose one another's.
 */
final class PostgresQuota implements QuotaStore {
    private final MailDatabase database;
    private final long userId;

    PostgresQuota(MailDatabase database, long userId) {
        this.database = database;
        this.userId = userId;
    }

    @Override
    public QuotaUsage usage(QuotaLimit limit) throws IOException {
        return record(limit, 0, 0);
    }

    @Override
    public QuotaUsage record(QuotaLimit limit, long bytes, long messages) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "UPDATE mail_users SET used_bytes = used_bytes + ?, used_messages ="
                    + " used_messages + ? WHERE id = ? RETURNING used_bytes, used_messages")) {
                s.setLong(1, bytes);
                s.setLong(2, messages);
                s.setLong(3, userId);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    return new QuotaUsage(Math.max(0, rows.getLong(1)), Math.max(0, rows.getLong(2)));
                }
            }
        });
    }

    @Override
    public QuotaUsage recalculate(QuotaLimit limit) throws IOException {
        return database.transaction(c -> {
            try (var s = database.prepare(c, "UPDATE mail_users u SET (used_bytes, used_messages) ="
                    + " (SELECT coalesce(sum(m.physical_size), 0), count(*) FROM messages m JOIN mailboxes b"
                    + " ON b.id = m.mailbox_id WHERE b.user_id = u.id) WHERE u.id = ? RETURNING used_bytes, used_messages")) {
                s.setLong(1, userId);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    return new QuotaUsage(rows.getLong(1), rows.getLong(2));
                }
            }
        });
    }

    @Override
    public Optional<QuotaLimit> override() throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT limit_bytes, limit_messages FROM mail_users WHERE id = ?")) {
                s.setLong(1, userId);
                try (var rows = s.executeQuery()) {
                    rows.next();
                    long bytes = rows.getLong(1);
                    return rows.wasNull() ? Optional.<QuotaLimit>empty() : Optional.of(new QuotaLimit(bytes, rows.getLong(2)));
                }
            }
        });
    }

    @Override
    public void override(Optional<QuotaLimit> limit) throws IOException {
        database.read(c -> {
            try (var s = database.prepare(c, "UPDATE mail_users SET limit_bytes = ?, limit_messages = ? WHERE id = ?")) {
                if (limit.isPresent()) {
                    s.setLong(1, limit.get().storage());
                    s.setLong(2, limit.get().messages());
                } else {
                    s.setNull(1, Types.BIGINT);
                    s.setNull(2, Types.BIGINT);
                }
                s.setLong(3, userId);
                return s.executeUpdate();
            }
        });
    }
}
