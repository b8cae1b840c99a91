package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.roost.mail.FlagSet;
import org.roost.net.ProtocolViolation;

/**
 * APPEND (RFC 3501 §6.3.11): {@code "APPEND" SP mailbox [SP flag-list] [SP date-time] SP literal}, the
 * message also as a {@code literal8} (RFC 3516 §4.4).
 * The message is read (or spooled) with the command; closing the command lets it go.
 */
public record Append(String tag, MailboxName mailbox, FlagSet flags, Optional<ZonedDateTime> date,
        MessageLiteral message) implements Command, AutoCloseable {
    public static final Syntax<Append> SYNTAX = Append::parse;

    @Override
    public String name() {
        return "APPEND";
    }

    @Override
    public void close() {
        message.close();
    }

    private static Append parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        var mailbox = in.mailboxArgument();
        in.space();
        var reader = in.reader();
        var flags = FlagSet.NONE;
        if (reader.peek() == '(') {
            flags = in.flagList();
            in.space();
        }
        Optional<ZonedDateTime> date = Optional.empty();
        if (reader.peek() == '"') {
            date = Optional.of(ImapDates.parseDateTime(new String(reader.string(), StandardCharsets.US_ASCII)));
            in.space();
        }
        if (reader.peek() != '{' && reader.peek() != '~') {
            throw new ImapParseException("Expected the message as a literal");
        }
        var header = reader.messageLiteralHeader();
        var message = MessageLiteral.read(reader, header, in.settings().spoolDirectory());
        return new Append(tag, mailbox, flags, date, message);
    }
}
