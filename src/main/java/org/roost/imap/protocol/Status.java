package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/**
 * STATUS (RFC 3501 §6.3.10): {@code "STATUS" SP mailbox SP "(" status-att *(SP status-att) ")"}.
 * The items are answered in the order asked.
 */
public record Status(String tag, MailboxName mailbox, List<StatusItem> items) implements Command {
    public static final Syntax<Status> SYNTAX = Status::parse;

    @Override
    public String name() {
        return "STATUS";
    }

    private static Status parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = in.mailboxArgument();
        in.space();
        var reader = in.reader();
        reader.expect('(', "'(' before the status items");
        var items = new ArrayList<StatusItem>();
        while (true) {
            var name = reader.atom().toUpperCase(Locale.ROOT);
            items.add(StatusItem.named(name)
                    .orElseThrow(() -> new ImapParseException("Unknown status item " + Arguments.printable(name))));
            if (reader.peek() == ')') {
                reader.next();
                return new Status(tag, mailbox, List.copyOf(items));
            }
            reader.space();
        }
    }
}
