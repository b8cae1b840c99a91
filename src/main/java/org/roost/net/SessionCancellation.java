package org.roost.net;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A session's {@link Cancellation}: its command stops at the next check once the session was told
 * to end (admin kick, shutdown), or once its client closed the connection. A check costs a
 * volatile read and a clock read (about 20 ns); the socket is looked at only once a command has
 * run for {@link #PROBE_INTERVAL_NANOS}, then once per interval: short commands never touch it,
 * an abandoned long one stops within a fraction of a second, however long each of its items takes.
 * Used by the session's own thread only.
 */
public final class SessionCancellation implements Cancellation {
    static final long PROBE_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final Connection connection;
    private final BooleanSupplier endRequested;
    private long nextProbe;

    /** {@code endRequested} turns true once the session is told to end. */
    public SessionCancellation(Connection connection, BooleanSupplier endRequested) {
        this.connection = connection;
        this.endRequested = endRequested;
    }

    /** A command starts: its first look at the socket is one interval away. */
    public void commandStarted() {
        nextProbe = System.nanoTime() + PROBE_INTERVAL_NANOS;
    }

    @Override
    public void check() {
        if (endRequested.getAsBoolean()) {
            throw new Cancelled(false);
        }
        long now = System.nanoTime();
        if (now - nextProbe < 0) {
            return;
        }
        nextProbe = now + PROBE_INTERVAL_NANOS;
        if (connection.clientGone()) {
            throw new Cancelled(true);
        }
    }
}
