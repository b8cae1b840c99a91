package org.roost.net;

import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Caps on concurrent connections, in total and per remote IP, shared by every listener.
 *
 * <p>A client that logs out and reconnects at once may reach the server before the server's side
 * of the old connection has closed: its address briefly holds one slot too many. So a connection
 * over the per-IP cap waits up to {@code reconnectGrace} for a slot of its address to come back
 * before it is refused. At most as many connections as the cap wait per address, so waiting
 * never lets one address hold more than twice its cap of sockets.
 */
public final class ConnectionLimits {
    private final Semaphore total;
    private final int perIp;
    private final Duration reconnectGrace;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<InetAddress, Slots> byIp = new HashMap<>();

    public ConnectionLimits(int maxTotal, int maxPerIp, Duration reconnectGrace) {
        this.total = new Semaphore(maxTotal);
        this.perIp = maxPerIp;
        this.reconnectGrace = reconnectGrace;
    }

    /** A permit to keep the connection, or the reason to refuse it. */
    public sealed interface Admission {
        record Granted(Permit permit) implements Admission {}

        record Refused(String reason) implements Admission {}
    }

    /** The connections of one address: those admitted, and those waiting for one of them to close. */
    private final class Slots {
        int open;
        int waiting;
        final Condition freed = lock.newCondition();

        boolean full() {
            return open >= perIp;
        }
    }

    /** Admits a connection from {@code address}; may wait up to the reconnect grace when its address is at the cap. */
    public Admission admit(InetAddress address) {
        lock.lock();
        try {
            var slots = byIp.computeIfAbsent(address, a -> new Slots());
            if (slots.full() && !awaitFreeSlot(slots)) {
                forgetIfUnused(address, slots);
                return new Admission.Refused("Too many connections from your address");
            }
            if (!total.tryAcquire()) {
                forgetIfUnused(address, slots);
                return new Admission.Refused("Too many connections to this server");
            }
            slots.open++;
            return new Admission.Granted(new Permit(address));
        } finally {
            lock.unlock();
        }
    }

    /** Called with the lock held; true when a slot came free within the grace. */
    private boolean awaitFreeSlot(Slots slots) {
        if (slots.waiting >= perIp) {
            return false;
        }
        slots.waiting++;
        try {
            long nanos = reconnectGrace.toNanos();
            while (slots.full() && nanos > 0) {
                nanos = slots.freed.awaitNanos(nanos);
            }
            return !slots.full();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            slots.waiting--;
        }
    }

    private void forgetIfUnused(InetAddress address, Slots slots) {
        if (slots.open == 0 && slots.waiting == 0) {
            byIp.remove(address, slots);
        }
    }

    private void release(InetAddress address) {
        lock.lock();
        try {
            var slots = byIp.get(address);
            slots.open--;
            total.release();
            slots.freed.signal();
            forgetIfUnused(address, slots);
        } finally {
            lock.unlock();
        }
    }

    public int connectionsFrom(InetAddress address) {
        lock.lock();
        try {
            var slots = byIp.get(address);
            return slots == null ? 0 : slots.open;
        } finally {
            lock.unlock();
        }
    }

    /** Held for the life of one connection; closing it twice is harmless. */
    public final class Permit implements AutoCloseable {
        private final InetAddress address;
        private final AtomicBoolean released = new AtomicBoolean();

        private Permit(InetAddress address) {
            this.address = address;
        }

        @Override
        public void close() {
            if (released.compareAndSet(false, true)) {
                release(address);
            }
        }
    }
}
