package org.roost.imap.protocol;

import org.roost.mail.MailboxNames;

/**
 * A mailbox argument as the client sent it ({@link #wire()}, modified UTF-7 of RFC 3501 §5.1.3, or
 * UTF-8 in an IMAP4rev2 session) and what it names. A name that does not decode is still grammatical (an {@code astring}); each
 * command answers it as it answers a mailbox that does not exist, so it is a value here, not a BAD.
 */
public sealed interface MailboxName {
    String wire();

    /** A name that decodes; INBOX in any case is {@code INBOX}. */
    record Valid(String wire, String name) implements MailboxName {}

    /** A name that is not valid in the session's {@link MailboxNaming}. */
    record Undecodable(String wire) implements MailboxName {}

    static MailboxName of(String wire, MailboxNaming naming) {
        try {
            return new Valid(wire, MailboxNames.canonical(naming.decode(wire)));
        } catch (IllegalArgumentException e) {
            return new Undecodable(wire);
        }
    }
}
