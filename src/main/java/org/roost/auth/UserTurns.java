package org.roost.auth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Per user, at most {@code verificationsPerUser} password checks at once, so that guesses against one user from
 * many addresses are checked one after another however many connections carry them, and the excess is refused
 * at once instead of being verified.
 *
 * <p>An attempt that finds its user busy waits for a turn when its own address already holds or waits for one
 * (one client's parallel connections, a webmail's sessions), or when fewer than {@code waitingAddressesPerUser}
 * other addresses of its kind wait; otherwise it is refused. Addresses with no remembered failure and addresses
 * with failures are two kinds with their own waiting room, and a free turn goes to a clean address first:
 * guessing from addresses that have already failed can neither refuse a login from a clean one nor make it wait
 * behind more than the checks already running.
 * The user name is what counts, known or not, so nothing here tells whether a user exists.
 * Tickets never outlive an attempt's step, so the table holds only users with checks in progress.
 */
final class UserTurns {
    /** Longer names share a line with their prefix: harmless, and it bounds the key. */
    private static final int MAX_USER_KEY = 256;

    private final int turnsPerUser;
    private final int waitingAddresses;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Line> lines = new HashMap<>();

    UserTurns(LoginPolicy policy) {
        this.turnsPerUser = policy.verificationsPerUser();
        this.waitingAddresses = policy.waitingAddressesPerUser();
    }

    /** One attempt's place in its user's line: holding a turn, waiting for one, or refused. */
    final class Ticket implements AutoCloseable {
        private enum State { HOLDING, WAITING, REFUSED, CLOSED }

        private final Line line;
        private final String address;
        private final boolean clean;
        private final Condition granted = lock.newCondition();
        private State state;

        private Ticket(Line line, String address, boolean clean) {
            this.line = line;
            this.address = address;
            this.clean = clean;
        }

        boolean holding() {
            return inLock(() -> state == State.HOLDING);
        }

        boolean refused() {
            return inLock(() -> state == State.REFUSED);
        }

        /** Blocks until this ticket holds a turn; an interrupt leaves the line. */
        void await() throws InterruptedException {
            lock.lock();
            try {
                while (state == State.WAITING) {
                    granted.await();
                }
            } catch (InterruptedException e) {
                leave();
                throw e;
            } finally {
                lock.unlock();
            }
        }

        /** Gives the turn back (to the next waiting ticket) or leaves the line; closing twice is harmless. */
        @Override
        public void close() {
            lock.lock();
            try {
                leave();
            } finally {
                lock.unlock();
            }
        }

        private void leave() {
            switch (state) {
                case HOLDING -> line.holders.remove(this);
                case WAITING -> line.waiting(clean).remove(this);
                case REFUSED, CLOSED -> { }
            }
            state = State.CLOSED;
            line.grantFreeTurns();
            line.dropIfIdle();
        }
    }

    /** Places an attempt from {@code address} for {@code user}: holding a turn now, waiting for one, or refused. */
    Ticket take(String user, AddressPenalties.Standing address) {
        var key = user.length() > MAX_USER_KEY ? user.substring(0, MAX_USER_KEY) : user;
        lock.lock();
        try {
            var line = lines.computeIfAbsent(key, Line::new);
            var ticket = new Ticket(line, address.key(), address.clean());
            if (line.holders.size() < turnsPerUser && line.cleanWaiting.isEmpty() && line.failedWaiting.isEmpty()) {
                ticket.state = Ticket.State.HOLDING;
                line.holders.add(ticket);
            } else if (line.present(ticket.address) || line.waitingAddresses(ticket.clean) < waitingAddresses) {
                ticket.state = Ticket.State.WAITING;
                line.waiting(ticket.clean).add(ticket);
            } else {
                ticket.state = Ticket.State.REFUSED;
            }
            return ticket;
        } finally {
            lock.unlock();
        }
    }

    /** Users with checks running or waiting now. */
    int busyUsers() {
        return inLock(lines::size);
    }

    private <T> T inLock(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    /** One user's tickets; guarded by {@link #lock}. */
    private final class Line {
        private final String user;
        private final List<Ticket> holders = new ArrayList<>();
        private final ArrayDeque<Ticket> cleanWaiting = new ArrayDeque<>();
        private final ArrayDeque<Ticket> failedWaiting = new ArrayDeque<>();

        Line(String user) {
            this.user = user;
        }

        ArrayDeque<Ticket> waiting(boolean clean) {
            return clean ? cleanWaiting : failedWaiting;
        }

        boolean present(String address) {
            return Stream.of(holders.stream(), cleanWaiting.stream(), failedWaiting.stream()).flatMap(s -> s)
                    .anyMatch(t -> t.address.equals(address));
        }

        long waitingAddresses(boolean clean) {
            return waiting(clean).stream().map(t -> t.address).distinct().count();
        }

        /** Free turns go to clean addresses first, each kind in order of arrival. */
        void grantFreeTurns() {
            while (holders.size() < turnsPerUser && !(cleanWaiting.isEmpty() && failedWaiting.isEmpty())) {
                var next = cleanWaiting.isEmpty() ? failedWaiting.poll() : cleanWaiting.poll();
                next.state = Ticket.State.HOLDING;
                holders.add(next);
                next.granted.signal();
            }
        }

        void dropIfIdle() {
            if (holders.isEmpty() && cleanWaiting.isEmpty() && failedWaiting.isEmpty()) {
                lines.remove(user, this);
            }
        }
    }
}
