package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.roost.net.ProtocolViolation;

/**
 * APPEND (RFC 3501 §6.3.11) with MULTIAPPEND (RFC 3502): {@code "APPEND" SP mailbox 1*append-message}. The
 * messages are read (or spooled) with the command; closing the command lets them go.
 */
public record Append(String tag, MailboxName mailbox, List<AppendMessage> messages)
        implements Command, AutoCloseable {
    public static final Syntax<Append> SYNTAX = Append::parse;

    public Append {
        messages = List.copyOf(messages);
    }

    @Override
    public String name() {
        return "APPEND";
    }

    @Override
    public void close() {
        messages.forEach(AppendMessage::close);
    }

    private static Append parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = in.mailboxArgument();
        var allowance = new AppendAllowance(in.settings());
        var messages = new ArrayList<AppendMessage>();
        try {
            do {
                messages.add(AppendMessage.parse(in, allowance));
            } while (in.reader().peek() == ' ');
        } catch (IOException | ProtocolViolation | ImapParseException | RuntimeException e) {
            messages.forEach(AppendMessage::close);
            throw e;
        }
        return new Append(tag, mailbox, messages);
    }
}
