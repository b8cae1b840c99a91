package org.roost.imap.command;

import java.util.BitSet;
import org.roost.index.MailboxView;
import org.roost.mail.SequenceSet;

/** Resolves sequence sets and UID sets against a session's view (RFC 3501 §6.4.8, §9). */
public final class MessageSets {
    private MessageSets() {}

    /** A sequence set that names message numbers the view does not have: the session answers BAD. */
    public static final class InvalidSet extends Exception {
        InvalidSet(String message) {
            super(message, null, false, false);
        }
    }

    /** The sequence numbers named, ascending and without duplicates. */
    public static int[] resolve(SequenceSet set, boolean uid, MailboxView view) throws InvalidSet {
        return uid ? byUid(set, view) : bySequence(set, view);
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

    private static int[] byUid(SequenceSet set, MailboxView view) {
        int count = view.count();
        if (count == 0) {
            return new int[0];
        }
        long largest = view.uid(count);
        var selected = new BitSet(count + 1);
        for (var range : set.ranges()) {
            long low = range.low(largest);
            long high = range.high(largest);
            for (int seq = view.firstSequenceAtLeast(low); seq <= count && view.uid(seq) <= high; seq++) {
                selected.set(seq);
            }
        }
        return selected.stream().toArray();
    }
}
