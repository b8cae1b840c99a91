package org.roost.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The health of something asked over the network (a user database, a token service) as the last answer or
 * probe saw it, so {@code /health/ready} answers at once even while it hangs. When that is older than
 * {@link #PROBE_INTERVAL}, a probe bounded by the timeout runs in the background.
 */
public final class HealthWatch {
    static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

    private final String name;
    private final Supplier<PasswordDatabase.Status> probe;
    private final Duration timeout;
    private final InstantSource clock;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile Observation last = new Observation(new PasswordDatabase.Status(false, "not checked yet"),
            Instant.MIN);

    private record Observation(PasswordDatabase.Status status, Instant at) {}

    public HealthWatch(String name, Supplier<PasswordDatabase.Status> probe, Duration timeout, InstantSource clock) {
        this.name = name;
        this.probe = probe;
        this.timeout = timeout;
        this.clock = clock;
    }

    /** The last observation; starts a background probe when it is stale. */
    public PasswordDatabase.Status status() {
        var seen = last;
        if (Duration.between(seen.at(), clock.instant()).compareTo(PROBE_INTERVAL) >= 0
                && probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("roost-probe-" + name).start(this::probe);
        }
        return seen.status();
    }

    /** Asks now (at start, and from {@link #status}). */
    public void probe() {
        try {
            observe(Deadlines.call(name, timeout, probe::get));
        } catch (DatabaseUnavailable e) {
            observe(new PasswordDatabase.Status(false, e.getMessage()));
        } finally {
            probing.set(false);
        }
    }

    /**
     * It answered: up, keeping what the last probe said about it when that was up too; after a failure a probe
     * runs in the background to say again what it is.
     */
    public void answered() {
        var seen = last.status();
        if (seen.up()) {
            observe(seen);
            return;
        }
        observe(new PasswordDatabase.Status(true, "answering"));
        if (probing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("roost-probe-" + name).start(this::probe);
        }
    }

    public void failed(String why) {
        observe(new PasswordDatabase.Status(false, why));
    }

    private void observe(PasswordDatabase.Status status) {
        last = new Observation(status, clock.instant());
    }
}
