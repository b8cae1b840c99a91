package org.roost.index;

import java.util.Set;
import org.roost.mail.StoredMessage;

/**
 * What a command may need to know of the messages it names beyond what opening a mailbox learns:
 * the mail's own listing gives UIDs, flags and keywords, while these wait until a command first needs
 * them, and are then kept in the index (see the package comment, "Facts looked up later").
 */
public enum Fact {
    /**
     * What the message's file tells without being read (for Maildir, a stat): the internal date and the
     * physical size, and a virtual size the file's name states; also that the file is still there and is
     * a regular file, which reading it needs to know first.
     */
    FILE_STATUS,
    /** The virtual size (RFC822.SIZE): as the file's name states it, else counted by reading the message. */
    VIRTUAL_SIZE;

    /** Whether row {@code i} of {@code table} lacks one of {@code facts}. */
    static boolean missing(Set<Fact> facts, MessageTable table, int i) {
        return facts.contains(FILE_STATUS)
                && (table.internalDate(i) == MessageTable.UNKNOWN_DATE || table.size(i) == StoredMessage.UNKNOWN_SIZE)
                || facts.contains(VIRTUAL_SIZE) && table.virtualSize(i) == StoredMessage.UNKNOWN_SIZE;
    }
}
