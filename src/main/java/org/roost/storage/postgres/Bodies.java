package org.roost.storage.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Set;

/**
 * The bodies of the store, content-addressed: rows in {@code bodies} and objects in the {@link BodyStore}.
 *
 * <p>The order that keeps every message row's body readable across crashes and the {@link BodyCollector}: an upload
 * first claims the body's row (made, or its {@code touched} time renewed), then stores the object unless the row
 * says it is {@code stored} already, then marks it stored; a commit renews the claim in its own transaction (the
 * row locked until it commits) and refers to the body only while it is stored. The collector deletes a row with its
 * object only once no message refers to it and nobody touched it for the grace, so a crash anywhere leaves at
 * most an unreferenced body, collected later, never a message without its body.
 */
final class Bodies {
    private static final System.Logger LOG = System.getLogger(Bodies.class.getName());
    private static final int BUFFER = 64 * 1024;
    private static final int CLAIMS = 3;
    private final MailDatabase database;
    private final BodyStore store;
    private final Path temporary;
    private final BodyCache cache;

    /** {@code cache}: this replica's copies of bodies, or null for none. */
    Bodies(MailDatabase database, BodyStore store, Path temporary, BodyCache cache) {
        this.database = database;
        this.store = store;
        this.temporary = temporary;
        this.cache = cache;
    }

    /** Stores {@code data} as a body (once, whoever else stores the same bytes) and claims it for a commit. */
    Prepared.Uploaded upload(InputStream data, Instant internalDate) throws IOException {
        Files.createDirectories(temporary);
        var file = Files.createTempFile(temporary, "body-", ".eml");
        try {
            var measured = write(data, file);
            for (int attempt = 0; attempt < CLAIMS; attempt++) {
                if (claim(measured) || storeClaimed(measured.key(), file)) {
                    keep(measured, file);
                    return new Prepared.Uploaded(measured.key(), measured.size(), measured.virtualSize(), internalDate);
                }
            }
            throw new IOException("body " + measured.key() + " was collected while it was being stored, " + CLAIMS
                    + " times");
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private record Measured(String key, long size, long virtualSize) {}

    /** A new message is often read soon (its structure, a client's FETCH): the cache takes the uploaded file. */
    private void keep(Measured body, Path file) {
        if (cache == null) {
            return;
        }
        try {
            cache.adopt(body.key(), file, body.size());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "uploaded body {0} not kept in the body cache: {1}", body.key(),
                    e.getMessage());
        }
    }

    /** Copies the bytes to {@code file}, measuring their SHA-256, size and size with CRLF line ends. */
    private static Measured write(InputStream data, Path file) throws IOException {
        var digest = sha256();
        long size = 0;
        long bareLineFeeds = 0;
        int previous = -1;
        try (var in = new DigestInputStream(data, digest); var out = Files.newOutputStream(file)) {
            var buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) > 0;) {
                out.write(buffer, 0, n);
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '\n' && previous != '\r') {
                        bareLineFeeds++;
                    }
                    previous = buffer[i];
                }
                size += n;
            }
        }
        return new Measured(HexFormat.of().formatHex(digest.digest()), size, size + bareLineFeeds);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Makes or renews the body's row; true when its object is stored already. */
    private boolean claim(Measured body) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "INSERT INTO bodies (key, size) VALUES (?, ?) ON CONFLICT (key)"
                    + " DO UPDATE SET touched = now() RETURNING stored")) {
                s.setString(1, body.key());
                s.setLong(2, body.size());
                try (var rows = s.executeQuery()) {
                    rows.next();
                    return rows.getBoolean(1);
                }
            }
        });
    }

    /** Uploads a claimed body and marks it stored; false when the collector took the row meanwhile. */
    private boolean storeClaimed(String key, Path file) throws IOException {
        store.put(key, file);
        return database.read(c -> {
            try (var s = database.prepare(c, "UPDATE bodies SET stored = true, touched = now() WHERE key = ?")) {
                s.setString(1, key);
                return s.executeUpdate() == 1;
            }
        });
    }

    /**
     * Within a commit's transaction: renews the claim on {@code keys} and locks their rows until it commits, so
     * the collector cannot take them before the messages that refer to them exist.
     *
     * @throws IOException when a body is no longer stored (its upload lay longer than the grace ago)
     */
    void renew(Connection connection, Collection<String> keys) throws SQLException, IOException {
        var distinct = Set.copyOf(keys);
        if (distinct.isEmpty()) {
            return;
        }
        try (var s = database.prepare(connection,
                "UPDATE bodies SET touched = now() WHERE key = ANY (?) AND stored")) {
            s.setArray(1, connection.createArrayOf("text", distinct.toArray()));
            if (s.executeUpdate() != distinct.size()) {
                throw new IOException("a body was collected before its message was committed (its upload took"
                        + " longer than mail.postgres.bodyGrace)");
            }
        }
    }

    /**
     * The bytes of body {@code key} of {@code size} bytes (-1: unknown): this replica's copy when it keeps one
     * intact, else the object store's, kept on the way when small enough.
     */
    InputStream open(String key, long size) throws IOException {
        if (cache == null || !cache.keeps(size)) {
            return store.open(key);
        }
        var kept = cache.read(key);
        if (kept != null) {
            return kept;
        }
        InputStream filled;
        try (var in = store.open(key)) {
            filled = cache.fill(key, in);
        }
        return filled != null ? filled : store.open(key);
    }
}
