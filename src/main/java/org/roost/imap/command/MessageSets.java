package org.roost.imap.command;

import java.util.BitSet;
import org.roost.index.MailboxView;
import org.roost.mail.SequenceSet;
import org.roost.mail.UidSet;

/** Resolves sequence sets and UID sets against a session's view (RFC 3501 §6.4.8, §9). */
public final class MessageSets {
    private MessageSets() {}

    /** A sequence set that names message numbers the view does not have: the session answers BAD. */
    public static final class InvalidSet extends Exception {
        InvalidSet(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The sequence numbers named, ascending and without duplicates; {@code $} names the messages of
     * the last SEARCH (SAVE) still shown, by UID or by sequence number alike (RFC 5182 §2.1).
     */
    public static int[] resolve(SequenceSet set, boolean uid, SelectedMailbox selected) throws InvalidSet {
        var view = selected.view();
        if (set.isSaved()) {
            return byUidSet(selected.savedSearch(), view);
        }
        return uid ? byUid(set, view) : bySequence(set, view);
    }

    /** The UIDs a UID set names: {@code *} the highest UID shown, {@code $} the saved search result. */
    public static UidSet uids(SequenceSet set, SelectedMailbox selected) {
        var view = selected.view();
        return set.isSaved() ? selected.savedSearch() : UidSet.of(set, view.lastUid());
    }

    private static int[] byUidSet(UidSet uids, MailboxView view) {
        var selected = new BitSet(view.count() + 1);
        for (int seq = 1; seq <= view.count(); seq++) {
            if (uids.contains(view.uid(seq))) {
                selected.set(seq);
            }
        }
        return selected.stream().toArray();
    }

    private static int[] bySequence(SequenceSet set, MailboxView view) throws InvalidSet {
        int count = view.count();
        var selected = new BitSet(count + 1);
        for (var range : set.ranges()) {
            long low = range.low(count);
            long high = range.high(count);
            if (low < 1 || high > count) {
                throw new InvalidSet(count == 0 ? "No messages in the mailbox" : "Invalid message sequence number");
            }
            selected.set((int) low, (int) high + 1);
        }
        return selected.stream().toArray();
    }

    /**
     * A range that reaches the last UID takes every message from its first on without looking at their UIDs: a
     * {@code UID FETCH 1:*} of a mailbox whose rows are still being read waits for none of them (see
     * {@link MailboxView#firstSequenceAtLeast}).
     */
    private static int[] byUid(SequenceSet set, MailboxView view) {
        int count = view.count();
        if (count == 0) {
            return new int[0];
        }
        long largest = view.lastUid();
        var selected = new BitSet(count + 1);
        for (var range : set.ranges()) {
            long low = range.low(largest);
            long high = range.high(largest);
            int first = view.firstSequenceAtLeast(low);
            if (high >= largest) {
                selected.set(first, count + 1);
                continue;
            }
            for (int seq = first; seq <= count && view.uid(seq) <= high; seq++) {
                selected.set(seq);
            }
        }
        return selected.stream().toArray();
    }
}
