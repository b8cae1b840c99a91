package org.roost.storage.mbox;

import java.time.Instant;
import java.util.Set;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * One message of an mbox as the driver knows it: where it lies ({@link Scanner.Found}), its UID and
 * flags, and whether the file already says that UID ({@code uidWritten}: its {@code X-UID} header is
 * there and the mailbox's {@code X-IMAPbase} vouches for it).
 */
record MboxMessage(long uid, Scanner.Found found, Set<SystemFlag> flags, Set<String> keywords, boolean old,
                   boolean uidWritten) {

    MboxMessage {
        flags = Set.copyOf(flags);
        keywords = Set.copyOf(keywords);
    }

    long offset() {
        return found.offset();
    }

    MboxMessage withFlags(Set<SystemFlag> newFlags, Set<String> newKeywords, boolean nowOld) {
        return new MboxMessage(uid, found, newFlags, newKeywords, nowOld, true);
    }

    /** The message for the index; its key is its UID, which the file keeps ({@code X-UID}). */
    StoredMessage stored(long fallbackDate) {
        long date = found.date() == Long.MIN_VALUE ? fallbackDate : found.date();
        return new StoredMessage(uid, Long.toString(uid), flags, keywords, Instant.ofEpochSecond(date), found.size(),
                found.virtualSize());
    }
}
