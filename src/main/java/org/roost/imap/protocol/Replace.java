package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.mail.SequenceSet;
import org.roost.net.ProtocolViolation;

/**
 * REPLACE and UID REPLACE (RFC 8508 §5): {@code "REPLACE" SP seq-number SP mailbox append-message}, the
 * message named by a sequence number (or UID) and its replacement. Closing the command lets the new message go.
 */
public record Replace(String tag, boolean uid, SequenceSet message, MailboxName mailbox, AppendMessage replacement)
        implements Command, AutoCloseable {
    public static final Syntax<Replace> REPLACE = (tag, in) -> parse(tag, in, false);
    public static final Syntax<Replace> UID_REPLACE = (tag, in) -> parse(tag, in, true);

    @Override
    public String name() {
        return uid ? "UID REPLACE" : "REPLACE";
    }

    @Override
    public void close() {
        replacement.close();
    }

    private static Replace parse(String tag, Arguments in, boolean uid)
            throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var text = in.reader().chars(c -> Chars.isDigit(c) || c == '*', "a message number");
        SequenceSet message;
        try {
            message = SequenceSet.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException(e.getMessage());
        }
        var mailbox = in.mailboxArgument();
        return new Replace(tag, uid, message, mailbox, AppendMessage.parse(in, new AppendAllowance(in.settings())));
    }
}
