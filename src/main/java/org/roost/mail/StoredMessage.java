package org.roost.mail;

import java.time.Instant;
import java.util.Objects;
import java.util.Set;

/**
 * What the storage knows of one message.
 *
 * @param uid          the IMAP UID, unique and ascending within the mailbox's UIDVALIDITY
 * @param key          the driver's stable name for the message (kept across flag changes)
 * @param flags        system flags
 * @param keywords     user keywords
 * @param internalDate the date of delivery, or {@link #UNKNOWN_DATE} when the storage cannot tell it
 *                     without looking at the message's file (see {@link MailboxStore#stat})
 * @param physicalSize bytes on disk, or {@link #UNKNOWN_SIZE} (likewise)
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

    /**
     * The internal date of a message whose bookkeeping does not say it (a Maildir file listed without a
     * stat): the index looks at the file when a command first needs the date.
     */
    public static final Instant UNKNOWN_DATE = Instant.MIN;

    public StoredMessage {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(internalDate, "internalDate");
        flags = SystemFlag.setOf(SystemFlag.bitsOf(flags));
        keywords = Set.copyOf(keywords);
    }

    public boolean virtualSizeKnown() {
        return virtualSize != UNKNOWN_SIZE;
    }

    /** Whether what the message's file tells without being read is known: its internal date and physical size. */
    public boolean fileStatusKnown() {
        return !internalDate.equals(UNKNOWN_DATE) && physicalSize != UNKNOWN_SIZE;
    }

    /** This message with its file's internal date and sizes as {@code found} tells them, where this one did not know them. */
    public StoredMessage withFacts(StoredMessage found) {
        return new StoredMessage(uid, key, flags, keywords, fileStatusKnown() ? internalDate : found.internalDate,
                fileStatusKnown() ? physicalSize : found.physicalSize,
                virtualSizeKnown() ? virtualSize : found.virtualSize);
    }

    /** This message with its virtual size measured. */
    public StoredMessage withVirtualSize(long measured) {
        return new StoredMessage(uid, key, flags, keywords, internalDate, physicalSize, measured);
    }
}
