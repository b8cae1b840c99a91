package org.roost.imap.protocol;

import java.io.IOException;
import java.util.List;
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
        return new Status(tag, mailbox, StatusItem.list(in.reader()));
    }
}
