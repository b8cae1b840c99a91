package org.roost.imap.protocol;

import java.io.IOException;
import org.roost.net.ProtocolViolation;

/**
 * LIST, or LSUB when {@code subscribedOnly} (RFC 3501 §6.3.8, §6.3.9):
 * {@code "LIST" SP mailbox SP list-mailbox}. Reference and pattern stay as sent: they are matched
 * against the wire (modified UTF-7) names.
 */
public record ListMailboxes(String tag, String reference, String pattern, boolean subscribedOnly) implements Command {
    public static final Syntax<ListMailboxes> LIST = (tag, in) -> parse(tag, in, false);
    public static final Syntax<ListMailboxes> LSUB = (tag, in) -> parse(tag, in, true);

    @Override
    public String name() {
        return subscribedOnly ? "LSUB" : "LIST";
    }

    private static ListMailboxes parse(String tag, Arguments in, boolean lsub)
            throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reference = in.astring();
        in.space();
        var reader = in.reader();
        int c = reader.peek();
        var pattern = c == '"' || c == '{' ? in.string() : reader.chars(Chars::isListChar, "a mailbox pattern");
        return new ListMailboxes(tag, reference, pattern, lsub);
    }
}
