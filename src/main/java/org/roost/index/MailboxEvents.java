package org.roost.index;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Who listens to which user's mail, keyed like the {@link IndexCache} by where the mail is. Events are
 * told on the thread that made the change (a delivery, a STORE, a POP3 DELE), often under a mailbox's
 * lock: listeners only take note and return.
 */
final class MailboxEvents {
    private static final System.Logger LOG = System.getLogger(MailboxEvents.class.getName());
    private final ConcurrentHashMap<String, Set<Consumer<MailboxEvent>>> listeners = new ConcurrentHashMap<>();

    /** Tells {@code listener} every event of the mail at {@code key}; returns what stops it. */
    Runnable listen(String key, Consumer<MailboxEvent> listener) {
        listeners.compute(key, (k, set) -> {
            var out = set == null ? ConcurrentHashMap.<Consumer<MailboxEvent>>newKeySet() : set;
            out.add(listener);
            return out;
        });
        return () -> listeners.computeIfPresent(key, (k, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    void publish(String key, MailboxEvent event) {
        var set = listeners.get(key);
        if (set == null) {
            return;
        }
        for (var listener : set) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "a mailbox event listener failed: {0}", e.toString());
            }
        }
    }

    /** Listeners of every user's mail (for tests and metrics). */
    int listeners() {
        return listeners.values().stream().mapToInt(Set::size).sum();
    }
}
