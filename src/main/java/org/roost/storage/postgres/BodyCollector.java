package org.roost.storage.postgres;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Deletes the bodies no message refers to once nobody touched them for the grace: those of expunged messages,
 * and the orphans of APPENDs a crash or a refusal interrupted. A body is taken in two steps, each its own
 * transaction: first it is marked not stored (so an upload from now on stores it again), then its row is
 * deleted and its object with it before that deletion commits. Either step re-checks that no message refers
 * to the body and that it is still untouched, and the foreign key of {@code messages} stops a deletion that a
 * concurrent COPY would contradict; a crash between the object's deletion and the commit leaves a row marked
 * not stored, which the next sweep finishes.
 */
final class BodyCollector {
    private static final int BATCH = 1000;
    private static final String UNUSED = " touched < now() - make_interval(secs => ?)"
            + " AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.body_key = bodies.key)";
    private final MailDatabase database;
    private final BodyStore store;

    BodyCollector(MailDatabase database, BodyStore store) {
        this.database = database;
        this.store = store;
    }

    /** One sweep over the unused bodies; returns how many were deleted. */
    int sweep(Duration grace) throws IOException {
        int deleted = 0;
        List<String> candidates;
        do {
            candidates = candidates(grace);
            for (var key : candidates) {
                if (collect(key, grace)) {
                    deleted++;
                }
            }
        } while (candidates.size() == BATCH);
        return deleted;
    }

    private List<String> candidates(Duration grace) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT key FROM bodies WHERE" + UNUSED + " LIMIT " + BATCH)) {
                s.setDouble(1, seconds(grace));
                var keys = new ArrayList<String>();
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        keys.add(rows.getString(1));
                    }
                }
                return keys;
            }
        });
    }

    private boolean collect(String key, Duration grace) throws IOException {
        boolean marked = database.transaction(c -> {
            try (var s = database.prepare(c, "UPDATE bodies SET stored = false WHERE key = ? AND" + UNUSED)) {
                s.setString(1, key);
                s.setDouble(2, seconds(grace));
                return s.executeUpdate() == 1;
            }
        });
        if (!marked) {
            return false;
        }
        try {
            return database.transaction(c -> {
                try (var s = database.prepare(c, "DELETE FROM bodies WHERE key = ? AND NOT stored AND" + UNUSED)) {
                    s.setString(1, key);
                    s.setDouble(2, seconds(grace));
                    if (s.executeUpdate() != 1) {
                        return false;
                    }
                }
                store.delete(key);
                return true;
            });
        } catch (IOException e) {
            if (e.getCause() instanceof SQLException sql && "23503".equals(sql.getSQLState())) {
                return false; // a COPY referred to it meanwhile
            }
            throw e;
        }
    }

    private static double seconds(Duration grace) {
        return grace.toNanos() / 1e9;
    }
}
