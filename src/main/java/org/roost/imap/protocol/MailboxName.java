package org.roost.imap.protocol;

import org.roost.mail.MailboxNameCodec;
import org.roost.mail.MailboxNames;

/**
 * A mailbox argument as the client sent it ({@link #wire()}, modified UTF-7 of RFC 3501 §5.1.3)
 * and what it names. A name that does not decode is still grammatical (an {@code astring}); each
 * command answers it as it answers a mailbox that does not exist, so it is a value here, not a BAD.
 */
public sealed interface MailboxName {
    String wire();

    /** A name that decodes; INBOX in any case is {@code INBOX}. */
    record Valid(String wire, String name) implements MailboxName {}

    /** A name that is not valid modified UTF-7. */
    record Undecodable(String wire) implements MailboxName {}

    static MailboxName of(String wire) {
        try {
            return new Valid(wire, MailboxNames.canonical(MailboxNameCodec.decode(wire)));
        } catch (IllegalArgumentException e) {
            return new Undecodable(wire);
        }
    }
}
