package org.roost.index;

import java.io.IOException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * The {@link ThreadKeys} of every message of one mailbox, shared by its sessions like the
 * {@link SortRankings}: the first THREAD reads every message's header (from the structure cache, or
 * read alone from the message file when it was never parsed) on the {@link FileLookups} threads; later THREADs
 * pick their messages' rows out of the kept columns, until a message newer than the keys appears.
 * Expunged messages only leave unused rows.
 */
final class KeptThreadKeys {
    /** The keys of the messages {@code uids} (ascending, unsigned). */
    private record Kept(int[] uids, ThreadKeys keys, int maxReferences) {
        long lastUid() {
            return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
        }
    }

    private final FileLookups lookups;
    private volatile Kept kept;

    KeptThreadKeys(FileLookups lookups) {
        this.lookups = lookups;
    }

    /**
     * The keys of the messages {@code found} (sequence numbers of {@code view}, ascending), row i
     * the message {@code found[i]}; each message's references are at most its last {@code maxReferences}.
     */
    ThreadKeys select(MailboxView view, int[] found, int maxReferences, Cancellation cancellation)
            throws IOException {
        var current = kept;
        long lastUid = view.count() == 0 ? 0 : view.uid(view.count());
        if (current == null || current.maxReferences() != maxReferences || current.lastUid() < lastUid) {
            current = build(view, maxReferences, cancellation);
            kept = current;
        }
        var uids = current.uids();
        var rows = new int[found.length];
        int row = 0;
        for (int i = 0; i < found.length; i++) { // one walk along both ascending lists
            long uid = view.uid(found[i]);
            while (row < uids.length && Integer.toUnsignedLong(uids[row]) < uid) {
                row++;
            }
            rows[i] = row < uids.length && Integer.toUnsignedLong(uids[row]) == uid ? row : ThreadKeys.NONE;
        }
        return current.keys().select(rows, i -> view.internalDateSeconds(found[i]));
    }

    /** Forgets the keys (the mailbox was rebuilt: UIDs may name other messages). */
    void clear() {
        kept = null;
    }

    long heapBytes() {
        var current = kept;
        return current == null ? 0 : 4L * current.uids().length + current.keys().heapBytes();
    }

    private Kept build(MailboxView view, int maxReferences, Cancellation cancellation) throws IOException {
        int n = view.count();
        var uids = new int[n];
        for (int seq = 1; seq <= n; seq++) {
            uids[seq - 1] = (int) view.uid(seq);
        }
        var keys = new ThreadKeys.Builder(n);
        lookups.forEach(n, i -> keys.set(i, facts(view, i + 1, maxReferences)), cancellation);
        return new Kept(uids, keys.build(), maxReferences);
    }

    private static ThreadFacts facts(MailboxView view, int seq, int maxReferences) throws IOException {
        try {
            return ThreadFacts.of(view.state().header(view.message(seq)), view.internalDateSeconds(seq),
                    maxReferences);
        } catch (MessageNotFoundException gone) { // expunged meanwhile: a message without headers (its EXPUNGE follows)
            return ThreadFacts.headerless(view.internalDateSeconds(seq));
        }
    }
}
