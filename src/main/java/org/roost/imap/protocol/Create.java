package org.roost.imap.protocol;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.roost.net.ProtocolViolation;

/**
 * CREATE (RFC 3501 §6.3.3): {@code "CREATE" SP mailbox [create-params]} with the one create-param Roost
 * knows (RFC 4466 §2.2), RFC 6154's {@code "USE" SP "(" [use-attr *(SP use-attr)] ")"}.
 *
 * @param uses the special-use attributes asked for, as sent ({@code \Sent}); whether they can be given is
 *             the executor's to say ({@code [USEATTR]}, RFC 6154 §3)
 */
public record Create(String tag, MailboxName mailbox, List<String> uses) implements Command {
    public static final Syntax<Create> SYNTAX = Create::parse;

    public Create {
        uses = List.copyOf(uses);
    }

    @Override
    public String name() {
        return "CREATE";
    }

    private static Create parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = in.mailboxArgument();
        var reader = in.reader();
        if (reader.peek() != ' ') {
            return new Create(tag, mailbox, List.of());
        }
        reader.next();
        reader.expect('(', "'(' before the CREATE parameters");
        var uses = new ArrayList<String>();
        while (true) {
            var parameter = reader.atom();
            if (!parameter.toUpperCase(Locale.ROOT).equals("USE")) {
                throw new ImapParseException("Unknown CREATE parameter " + Arguments.printable(parameter));
            }
            reader.space();
            uses.addAll(useAttributes(reader));
            if (reader.peek() == ')') {
                reader.next();
                return new Create(tag, mailbox, uses);
            }
            reader.space();
        }
    }

    /** {@code "(" [use-attr *(SP use-attr)] ")"}, {@code use-attr = "\" atom}. */
    private static List<String> useAttributes(ImapReader reader)
            throws IOException, ProtocolViolation, ImapParseException {
        reader.expect('(', "'(' before the special uses");
        var uses = new ArrayList<String>();
        while (reader.peek() != ')') {
            reader.expect('\\', "a special use such as \\Sent");
            uses.add("\\" + reader.atom());
            if (reader.peek() == ' ') {
                reader.next();
            } else if (reader.peek() != ')') {
                throw new ImapParseException("Expected ' ' or ')' after a special use");
            }
        }
        reader.next();
        return uses;
    }
}
