package org.roost.index;

import java.io.IOException;
import java.lang.ref.Cleaner;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongConsumer;
import org.roost.mail.StoredMessage;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;

/**
 * Messages one session expunged that other sessions still show. A session may not hear of an
 * expunge while it answers FETCH, STORE or SEARCH (RFC 3501 §7.4.1), so until its next chance it
 * still shows the message and may FETCH it. Of RFC 2180's choices this is §4.1.1: the message stays
 * readable (its file held open by the storage, so nothing is left on disk should the server die)
 * until every view that showed it has reported the expunge, been closed or been dropped.
 *
 * <p>Holds are bounded over the whole server ({@code index.maxHeldExpunged}, shared by every
 * mailbox): beyond it, or for messages expunged by another program, a FETCH of such a message
 * answers {@code NO [EXPUNGEISSUED]} (RFC 2180 §4.1.2).
 */
final class ExpungedHolds {
    /** One held message: readable until every view has reported the snapshot {@link #version} that lacks it. */
    static final class Held {
        private final String key;
        private final HeldMessage content;
        /** The first snapshot version without the message; unknown (never released) until published. */
        private volatile long version = Long.MAX_VALUE;

        private Held(String key, HeldMessage content) {
            this.key = key;
            this.content = content;
        }
    }

    /** Lets go of the holds of a mailbox state that was dropped without being closed (their share of the budget too). */
    private static final Cleaner CLEANER = Cleaner.create();
    private final Semaphore budget;
    private final Map<Long, Held> held = new ConcurrentHashMap<>();
    /** The views of this mailbox; weakly, so that a view nobody closed cannot keep holds for ever. */
    private final Set<MailboxView> views = Collections.newSetFromMap(new WeakHashMap<>());
    private final ReentrantLock lock = new ReentrantLock();

    /** Holds for {@code owner} (the mailbox state), let go at the latest when it becomes unreachable. */
    ExpungedHolds(Object owner, Semaphore budget) {
        this.budget = budget;
        CLEANER.register(owner, this::releaseAll);
    }

    void attach(MailboxView view) {
        lock.lock();
        try {
            views.add(view);
        } finally {
            lock.unlock();
        }
    }

    void detach(MailboxView view, LongConsumer released) {
        lock.lock();
        try {
            views.remove(view);
        } finally {
            lock.unlock();
        }
        release(released);
    }

    /**
     * Holds {@code messages} before they are expunged, when a view other than {@code by} (the one
     * expunging, which reports the expunge at once) may still show them and the budget allows.
     */
    List<Held> hold(MailboxStore store, Collection<StoredMessage> messages, MailboxView by) {
        if (!othersThan(by)) {
            return List.of();
        }
        var out = new ArrayList<Held>();
        for (var m : messages) {
            if (!budget.tryAcquire()) {
                break;
            }
            try {
                var content = store.hold(m);
                if (content == null) {
                    budget.release();
                    break; // the storage cannot hold any
                }
                var h = new Held(m.key(), content);
                held.put(m.uid(), h);
                out.add(h);
            } catch (IOException gone) {
                budget.release(); // already gone (another program): nothing to keep
            }
        }
        return out;
    }

    private boolean othersThan(MailboxView by) {
        lock.lock();
        try {
            return views.stream().anyMatch(v -> v != by);
        } finally {
            lock.unlock();
        }
    }

    /** The expunge is published as snapshot {@code version}: views that reported it no longer need the holds. */
    void published(List<Held> holds, long version) {
        holds.forEach(h -> h.version = version);
    }

    /** Gives up holds whose expunge failed (the messages stay in the mailbox). */
    void abandon(List<Held> holds) {
        held.values().removeIf(h -> {
            if (holds.contains(h)) {
                close(h);
                return true;
            }
            return false;
        });
    }

    boolean isHeld(long uid) {
        return held.containsKey(uid);
    }

    /** The hold of a message, or null when it is not held. */
    HeldMessage of(StoredMessage m) {
        var h = held.get(m.uid());
        return h != null && h.key.equals(m.key()) ? h.content : null;
    }

    /** Lets go of every hold that no view may still need; {@code released} is told each UID. */
    void release(LongConsumer released) {
        if (held.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            long oldestShown = views.stream().mapToLong(MailboxView::expungesReportedUpTo).min().orElse(Long.MAX_VALUE);
            held.entrySet().removeIf(e -> {
                if (e.getValue().version > oldestShown) {
                    return false;
                }
                close(e.getValue());
                released.accept(e.getKey());
                return true;
            });
        } finally {
            lock.unlock();
        }
    }

    /** Lets go of every hold (the mailbox is being closed). */
    void releaseAll() {
        held.values().removeIf(h -> {
            close(h);
            return true;
        });
    }

    private void close(Held h) {
        try {
            h.content.close();
        } catch (IOException ignored) {
            // a file opened for reading only: nothing is lost
        } finally {
            budget.release();
        }
    }
}
