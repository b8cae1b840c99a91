package org.roost.fts;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The new mail left for the first SEARCH that needs it ({@code fts.deferredMessagesPerUser}): which mailboxes of
 * each user changed since the indexer last caught them up, and how many messages came, so that nobody's backlog
 * grows past the bound. A change is handed to the indexer at once when it is
 * <ul>
 * <li>the first change of its mailbox this backlog knows of (since the start, or since the mailbox was forgotten):
 *     what the previous run, a crash or an evicted count left unindexed is not counted, so the catch-up that
 *     finds it again from the store runs now, as at delivery;</li>
 * <li>one that takes its user past the bound: then every changed mailbox of that user goes, so a user who never
 *     searches is indexed in batches of at most the bound (a bulk import too, in the background);</li>
 * <li>or, with a bound of 0, every change (indexing at delivery).</li>
 * </ul>
 * At most {@code maxMailboxes} mailboxes are counted at once: beyond, the users changed least recently are
 * forgotten and their changed mailboxes handed to the indexer, so memory stays bounded under a flood of
 * deliveries to many users (and one user's flood is bounded by the per-user bound).
 */
final class Backlog {
    private final int perUser;
    private final int maxMailboxes;
    /** By user, the least recently changed first. */
    private final LinkedHashMap<String, UserBacklog> users = new LinkedHashMap<>(16, 0.75f, true);
    private int mailboxes;

    /** A mailbox of a user, to be caught up by the indexer. */
    record Mailbox(String user, String name) {}

    /** One user's changed mailboxes; a mailbox counted but not changed was caught up since. */
    private static final class UserBacklog {
        final Map<String, Pending> byMailbox = new HashMap<>();
        long messages;
    }

    /** What came to one mailbox since its last catch-up: {@code changed} also by an expunge alone. */
    private static final class Pending {
        long messages;
        boolean changed;
    }

    Backlog(int perUser, int maxMailboxes) {
        this.perUser = perUser;
        this.maxMailboxes = maxMailboxes;
    }

    /** Whether new mail waits for a search at all (else each change goes to the indexer at once). */
    boolean defers() {
        return perUser > 0;
    }

    /**
     * Notes that {@code added} messages came to (or some left) {@code mailbox} of {@code user}; the mailboxes to
     * hand to the indexer now.
     */
    synchronized List<Mailbox> changed(String user, String mailbox, int added) {
        if (!defers()) {
            return List.of(new Mailbox(user, mailbox));
        }
        var backlog = users.computeIfAbsent(user, u -> new UserBacklog());
        var pending = backlog.byMailbox.get(mailbox);
        var now = new ArrayList<Mailbox>();
        if (pending == null) { // not known: what is unindexed may be more than this change, so it goes now
            backlog.byMailbox.put(mailbox, new Pending());
            mailboxes++;
            now.add(new Mailbox(user, mailbox));
        } else {
            pending.messages += added;
            pending.changed = true;
            backlog.messages += added;
            if (backlog.messages > perUser) {
                changedMailboxes(user, backlog, now);
            }
        }
        forgetBeyondBound(now);
        return now;
    }

    /**
     * The indexer begins to catch {@code mailbox} up: what came to it so far is no longer waiting, and what comes
     * from now on is counted (the mailbox is known). The mailboxes to hand to the indexer, forgotten to make room.
     */
    synchronized List<Mailbox> catchingUp(String user, String mailbox) {
        if (!defers()) {
            return List.of();
        }
        var backlog = users.computeIfAbsent(user, u -> new UserBacklog());
        var pending = backlog.byMailbox.get(mailbox);
        if (pending == null) {
            backlog.byMailbox.put(mailbox, new Pending());
            mailboxes++;
        } else {
            backlog.messages -= pending.messages;
            pending.messages = 0;
            pending.changed = false;
        }
        var now = new ArrayList<Mailbox>();
        forgetBeyondBound(now);
        return now;
    }

    /** Messages of {@code user} waiting for a search (tests, metrics). */
    synchronized long waiting(String user) {
        var backlog = users.get(user);
        return backlog == null ? 0 : backlog.messages;
    }

    /** Mailboxes counted now, changed or not (bounded by {@code maxMailboxes}). */
    synchronized int mailboxes() {
        return mailboxes;
    }

    private void forgetBeyondBound(List<Mailbox> now) {
        var eldest = users.entrySet().iterator();
        while (mailboxes > maxMailboxes && eldest.hasNext()) {
            var forgotten = eldest.next();
            eldest.remove();
            mailboxes -= forgotten.getValue().byMailbox.size();
            changedMailboxes(forgotten.getKey(), forgotten.getValue(), now);
        }
    }

    private static void changedMailboxes(String user, UserBacklog backlog, List<Mailbox> into) {
        backlog.byMailbox.forEach((name, pending) -> {
            if (pending.changed) {
                into.add(new Mailbox(user, name));
            }
        });
    }
}
