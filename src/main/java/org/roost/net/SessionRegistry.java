package org.roost.net;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Every live session of every protocol: for the admin API ("who", "kick") and for graceful shutdown. */
public final class SessionRegistry {
    /**
     * How long a kicked session may take to end by itself (its command stops at the next message
     * or name it checks) before its connection is closed under it: a session blocked writing to a
     * client that does not read never reaches a check.
     */
    static final Duration KICK_GRACE = Duration.ofSeconds(1);
    private final ConcurrentHashMap<String, LiveSession> sessions = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    /** What a protocol session shows of itself, and how it can be ended from outside. */
    public interface LiveSession {
        String id();

        String protocol();

        Optional<String> user();

        InetSocketAddress remote();

        Instant started();

        boolean tls();

        Optional<String> selectedMailbox();

        /** The protocol state in lower case, from a small fixed set (for metrics). */
        default String stateName() {
            return user().isPresent() ? "authenticated" : "not_authenticated";
        }

        /** Ends the session politely (BYE now when it waits for input, else after its current command). */
        void terminate(String reason);

        /** Closes the connection at once. */
        void abort();
    }

    public String newId() {
        return Long.toString(nextId.getAndIncrement(), 36) + Long.toString(System.nanoTime() & 0xffff, 36);
    }

    public void register(LiveSession session) {
        sessions.put(session.id(), session);
    }

    public void unregister(LiveSession session) {
        sessions.remove(session.id(), session);
    }

    public List<LiveSession> list() {
        return List.copyOf(sessions.values());
    }

    /** How many sessions of {@code protocol} are in {@code state} now. */
    public long count(String protocol, String state) {
        return sessions.values().stream().filter(s -> s.protocol().equals(protocol) && s.stateName().equals(state)).count();
    }

    public int size() {
        return sessions.size();
    }

    /** Ends every session of {@code user} (a kick); returns how many. */
    public int terminateUser(String user, String reason) {
        var matching = sessions.values().stream().filter(s -> s.user().filter(user::equals).isPresent()).toList();
        kick(matching, reason);
        return matching.size();
    }

    /** Ends one session (a kick); false when there is no such session. */
    public boolean terminate(String id, String reason) {
        var session = sessions.get(id);
        if (session != null) {
            kick(List.of(session), reason);
        }
        return session != null;
    }

    private void kick(List<LiveSession> kicked, String reason) {
        kicked.forEach(s -> s.terminate(reason));
        Thread.ofVirtual().name("kick-grace").start(() -> {
            try {
                Thread.sleep(KICK_GRACE);
            } catch (InterruptedException e) {
                return;
            }
            kicked.stream().filter(s -> sessions.get(s.id()) == s).forEach(LiveSession::abort);
        });
    }

    /** Asks every session to end, waits up to {@code drain}, then aborts what is left. */
    public void shutdown(String reason, Duration drain) {
        sessions.values().forEach(s -> s.terminate(reason));
        var deadline = Instant.now().plus(drain);
        while (!sessions.isEmpty() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sessions.values().forEach(LiveSession::abort);
    }
}
