package org.roost.storage.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;

/**
 * What every replica learns of the changes every other one makes: one connection per replica that LISTENs on
 * {@value #CHANNEL}, where the {@code mailboxes} row's trigger (migration V2) NOTIFYs the id of each mailbox whose
 * UIDNEXT or HIGHESTMODSEQ a transaction moved, at its commit. A notice wakes the watchers of that mailbox, which
 * read its change token (one indexed row) and catch up when its MODSEQ moved. Notices sent while this connection
 * was down are lost, so after each reconnect every watcher is woken once: the MODSEQ comparison finds what was
 * missed.
 */
final class ChangeFeed implements AutoCloseable {
    static final String CHANNEL = "roost_mailbox_changes";
    private static final System.Logger LOG = System.getLogger(ChangeFeed.class.getName());
    private static final int WAIT_MILLIS = 1000;
    /** Quiet waits after which the connection is asked whether it is still there (a dead peer sends nothing). */
    private static final int WAITS_PER_CHECK = 15;
    private static final long MAX_BACKOFF_MILLIS = 5000;

    private final MailDatabase.Settings settings;
    private final Map<Long, Set<Watch>> watches = new ConcurrentHashMap<>();
    private final Thread listening;
    private volatile boolean closed;
    private volatile Connection connection;

    /** One watcher's wake-ups: at most one run at a time, and a notice during a run makes one more run. */
    private static final class Watch {
        private final Runnable onChange;
        private final AtomicBoolean queued = new AtomicBoolean();

        Watch(Runnable onChange) {
            this.onChange = onChange;
        }

        void wake() {
            if (queued.compareAndSet(false, true)) {
                Thread.ofVirtual().name("roost-change").start(() -> {
                    queued.set(false);
                    onChange.run();
                });
            }
        }
    }

    ChangeFeed(MailDatabase.Settings settings) {
        this.settings = settings;
        this.listening = Thread.ofPlatform().daemon().name("roost-change-feed").start(this::listen);
    }

    /** Runs {@code onChange} after each commit that changes mailbox {@code mailboxId}; returns what stops it. */
    Runnable watch(long mailboxId, Runnable onChange) {
        var watch = new Watch(onChange);
        watches.computeIfAbsent(mailboxId, id -> new CopyOnWriteArraySet<>()).add(watch);
        return () -> watches.computeIfPresent(mailboxId, (id, set) -> {
            set.remove(watch);
            return set.isEmpty() ? null : set;
        });
    }

    /** Whether the feed's connection is up (for readiness). */
    boolean connected() {
        return connection != null;
    }

    private void listen() {
        long backoff = 100;
        boolean reconnect = false;
        while (!closed) {
            try (var c = connect()) {
                try (var s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                connection = c;
                backoff = 100;
                if (reconnect) {
                    LOG.log(System.Logger.Level.INFO, "change feed connected again: every watched mailbox catches up");
                    watches.values().forEach(set -> set.forEach(Watch::wake));
                }
                reconnect = true;
                receive(c);
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (connection != null || !reconnect) {
                    LOG.log(System.Logger.Level.WARNING, "change feed lost, changes by other replicas show at the"
                            + " next command until it is back: {0}", e.getMessage());
                }
                reconnect = true;
            } finally {
                connection = null;
            }
            sleep(backoff);
            backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
        }
    }

    private void receive(Connection c) throws SQLException {
        var listener = c.unwrap(PGConnection.class);
        int quiet = 0;
        while (!closed) {
            var notices = listener.getNotifications(WAIT_MILLIS);
            if (notices == null || notices.length == 0) {
                if (++quiet == WAITS_PER_CHECK) {
                    quiet = 0;
                    check(c);
                }
                continue;
            }
            quiet = 0;
            for (var notice : notices) {
                var set = watches.get(mailboxId(notice.getParameter()));
                if (set != null) {
                    set.forEach(Watch::wake);
                }
            }
        }
    }

    private static void check(Connection c) throws SQLException {
        try (var s = c.createStatement()) {
            s.setQueryTimeout(WAITS_PER_CHECK);
            s.execute("SELECT 1");
        }
    }

    private static long mailboxId(String payload) {
        try {
            return Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return -1; // not ours: nothing watches it
        }
    }

    private Connection connect() throws SQLException {
        var properties = new Properties();
        properties.setProperty("user", settings.user());
        if (settings.password() != null) {
            properties.setProperty("password", settings.password());
        }
        long seconds = Math.max(1, settings.timeout().toSeconds());
        properties.setProperty("connectTimeout", Long.toString(seconds));
        // Waiting for notices is reading: a dead peer shows within the keepalive, a read of a wait within this.
        properties.setProperty("socketTimeout", Long.toString(seconds + WAIT_MILLIS / 1000 + 30));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "roost-changes");
        return DriverManager.getConnection(settings.url(), properties);
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        listening.interrupt();
        var c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // closing anyway
            }
        }
    }
}
