package org.roost.index;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Bounds the file descriptors open mailboxes keep between commands, over the whole server. Each mailbox keeps up to
 * {@link #PER_MAILBOX} (its index log, MODSEQ history, structure cache and the storage's file: a Maildir's uid list),
 * however small its table, so the cache's heap budget does not bound them: ten thousand folders asked for their
 * STATUS would hold thirty thousand, and once the process's limit is reached every user's commands, connections
 * and deliveries fail.
 *
 * <p>A mailbox registers before it may open its files ({@link MailboxState#usingFiles()}). Past the budget, the
 * least recently used eighth of the registered mailboxes let theirs go ({@link MailboxState#releaseFiles()}): each
 * file reopens when next used, so a mailbox a session holds (selected, in IDLE, NOTIFY) keeps working. A mailbox busy
 * at that instant keeps its files and stays registered, to go at a later turn: the budget may be passed by the
 * mailboxes busy at one instant, never by idle ones.
 */
final class DescriptorBudget {
    /** The most descriptors one mailbox keeps between commands. */
    static final int PER_MAILBOX = 4;
    /** Releasing a batch at a time keeps the sort by last use off most registrations. */
    private static final int BATCH_SHARE = 8;
    private final int maxMailboxes;
    private final Set<MailboxState> registered = ConcurrentHashMap.newKeySet();
    /** Serializes the choice of whom to release, so two registrations do not release twice as many. */
    private final ReentrantLock choosing = new ReentrantLock();

    DescriptorBudget(int maxOpenFiles) {
        this.maxMailboxes = Math.max(1, maxOpenFiles / PER_MAILBOX);
    }

    /** Whether {@code state} may hold descriptors now (it registered since it last let them go). */
    boolean holds(MailboxState state) {
        return registered.contains(state);
    }

    /** Counts {@code state} among the holders, first letting the least recently used go when the budget is full. */
    void register(MailboxState state) {
        if (!registered.add(state) || registered.size() <= maxMailboxes) {
            return;
        }
        for (var idle : leastRecentlyUsed(state)) {
            if (!idle.releaseFiles()) {
                registered.add(idle); // busy: it goes at a later turn
            }
        }
    }

    /** {@code state} let its files go (the cache dropped it): it no longer counts. */
    void released(MailboxState state) {
        registered.remove(state);
    }

    /** The mailboxes counted as holding descriptors (for tests and metrics). */
    int holders() {
        return registered.size();
    }

    /** Takes the least recently used holders out of the count (never {@code keep}); their release follows. */
    private List<MailboxState> leastRecentlyUsed(MailboxState keep) {
        choosing.lock();
        try {
            int excess = registered.size() - maxMailboxes;
            if (excess <= 0) {
                return List.of();
            }
            // each last use read once: a sort must not see the values change under it
            var byUse = registered.stream().filter(s -> s != keep).map(s -> new LastUse(s, s.lastFileUse()))
                    .toArray(LastUse[]::new);
            Arrays.sort(byUse, Comparator.comparingLong(LastUse::nanos));
            int n = Math.min(byUse.length, excess + maxMailboxes / BATCH_SHARE);
            var chosen = new ArrayList<MailboxState>(n);
            for (int i = 0; i < n; i++) {
                if (registered.remove(byUse[i].state())) {
                    chosen.add(byUse[i].state());
                }
            }
            return chosen;
        } finally {
            choosing.unlock();
        }
    }

    private record LastUse(MailboxState state, long nanos) {}
}
