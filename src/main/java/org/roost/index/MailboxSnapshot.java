package org.roost.index;

import org.roost.mail.SystemFlag;
import org.roost.storage.StoredMessage;

/**
 * An immutable picture of a mailbox at one moment: its messages in ascending UID order, held
 * as primitive columns ({@link MessageTable}); {@link StoredMessage} objects are made on demand.
 * Sessions hold on to the snapshot they last reported and compare it with the current one.
 */
public final class MailboxSnapshot {
    private final long version;
    private final long uidValidity;
    private final long uidNext;
    private final long highestModseq;
    private final MessageTable table;

    MailboxSnapshot(long version, long uidValidity, long uidNext, long highestModseq, MessageTable table) {
        this.version = version;
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.table = table;
    }

    public long version() {
        return version;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    MessageTable table() {
        return table;
    }

    public int count() {
        return table.count();
    }

    /** The message at {@code index} (0-based, ascending UID). */
    public StoredMessage message(int index) {
        return table.message(index);
    }

    public long uid(int index) {
        return table.uid(index);
    }

    /** Every message, made afresh: costs an object per message, so meant for small mailboxes and tests. */
    public StoredMessage[] messages() {
        var out = new StoredMessage[table.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = table.message(i);
        }
        return out;
    }

    /** Index of the message with {@code uid}, or a negative insertion point as in {@link java.util.Arrays#binarySearch}. */
    public int indexOf(long uid) {
        return table.indexOf(uid);
    }

    public StoredMessage byUid(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? table.message(i) : null;
    }

    /** Messages without {@code \Seen} (STATUS UNSEEN), from the flag column alone. */
    public int unseenCount() {
        int n = 0;
        for (int i = 0; i < table.count(); i++) {
            if (!table.hasFlag(i, SystemFlag.SEEN)) {
                n++;
            }
        }
        return n;
    }

    /** Sum of RFC822.SIZE over the mailbox (STATUS SIZE). */
    public long totalVirtualSize() {
        long n = 0;
        for (int i = 0; i < table.count(); i++) {
            n += table.virtualSize(i);
        }
        return n;
    }
}
