package org.roost.index;

import java.util.Arrays;
import org.roost.storage.StoredMessage;

/**
 * An immutable picture of a mailbox at one moment: its messages in ascending UID order.
 * Sessions hold on to the snapshot they last reported and compare it with the current one.
 */
public record MailboxSnapshot(long version, long uidValidity, long uidNext, StoredMessage[] messages) {

    public int count() {
        return messages.length;
    }

    /** Index of the message with {@code uid}, or a negative insertion point as in {@link Arrays#binarySearch}. */
    public int indexOf(long uid) {
        int lo = 0;
        int hi = messages.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long m = messages[mid].uid();
            if (m < uid) {
                lo = mid + 1;
            } else if (m > uid) {
                hi = mid - 1;
            } else {
                return mid;
            }
        }
        return -(lo + 1);
    }

    public StoredMessage byUid(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? messages[i] : null;
    }
}
