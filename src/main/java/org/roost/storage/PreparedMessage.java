package org.roost.storage;

import java.time.Instant;
import java.util.Set;
import org.roost.mail.SystemFlag;

/**
 * A message on its way into a mailbox, made by {@link MailboxStore#prepare} (its bytes written and durable
 * where no reader looks) or {@link MailboxStore#prepareCopy} (another mailbox's message to link to), and
 * given to {@link MailboxStore#commit} with others, so that several additions share one commit. Only the
 * store that made it knows what it holds.
 */
public interface PreparedMessage {
    long size();

    long virtualSize();

    Instant internalDate();

    /** A prepared message with the flags and keywords it is to have in the mailbox. */
    record Addition(PreparedMessage message, Set<SystemFlag> flags, Set<String> keywords) {}
}
