package org.roost.net;

import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/** Caps on concurrent connections, in total and per remote IP, shared by every listener. */
public final class ConnectionLimits {
    private final Semaphore total;
    private final int perIp;
    private final ConcurrentHashMap<InetAddress, AtomicInteger> byIp = new ConcurrentHashMap<>();

    public ConnectionLimits(int maxTotal, int maxPerIp) {
        this.total = new Semaphore(maxTotal);
        this.perIp = maxPerIp;
    }

    /** A permit to keep the connection, or the reason to refuse it. */
    public sealed interface Admission {
        record Granted(Permit permit) implements Admission {}

        record Refused(String reason) implements Admission {}
    }

    public Admission admit(InetAddress address) {
        if (!total.tryAcquire()) {
            return new Admission.Refused("Too many connections to this server");
        }
        var count = byIp.compute(address, (a, c) -> c == null ? new AtomicInteger(1) : increment(c));
        if (count.get() > perIp) {
            release(address);
            return new Admission.Refused("Too many connections from your address");
        }
        return new Admission.Granted(new Permit(address));
    }

    private static AtomicInteger increment(AtomicInteger c) {
        c.incrementAndGet();
        return c;
    }

    private void release(InetAddress address) {
        byIp.computeIfPresent(address, (a, c) -> c.decrementAndGet() <= 0 ? null : c);
        total.release();
    }

    public int connectionsFrom(InetAddress address) {
        return Optional.ofNullable(byIp.get(address)).map(AtomicInteger::get).orElse(0);
    }

    /** Held for the life of one connection; closing it twice is harmless. */
    public final class Permit implements AutoCloseable {
        private final InetAddress address;
        private boolean released;

        private Permit(InetAddress address) {
            this.address = address;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                release(address);
            }
        }
    }
}
