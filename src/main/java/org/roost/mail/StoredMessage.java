package org.roost.mail;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * What the storage knows of one message.
 *
 * @param uid          the IMAP UID, unique and ascending within the mailbox's UIDVALIDITY
 * @param key          the driver's stable name for the message (kept across flag changes)
 * @param flags        system flags
 * @param keywords     user keywords
 * @param internalDate the date of delivery
 * @param physicalSize bytes on disk
 * @param virtualSize  size with CRLF line ends (RFC822.SIZE), or {@link #UNKNOWN_SIZE} when the storage
 *                     cannot tell it without reading the message (see {@link #virtualSizeKnown()})
 */
public record StoredMessage(long uid, String key, Set<SystemFlag> flags, Set<String> keywords,
                            Instant internalDate, long physicalSize, long virtualSize) {

    /**
     * The virtual size of a message whose bookkeeping does not say it (a Maildir file named by another
     * program): only reading the message tells, which the index does when a command first needs it.
     */
    public static final long UNKNOWN_SIZE = -1;

    public StoredMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(internalDate, "internalDate");
        flags = flags.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(flags));
        keywords = Set.copyOf(keywords);
    }

    public boolean virtualSizeKnown() {
        return virtualSize != UNKNOWN_SIZE;
    }
}
