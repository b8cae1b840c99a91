package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.Optional;
import org.roost.mail.FlagSet;
import org.roost.net.ProtocolViolation;

/**
 * One message of an APPEND (RFC 3502 {@code append-message}, RFC 4466 §2.1):
 * {@code [SP flag-list] [SP date-time] SP append-data}. Closing it lets its literal go.
 */
public record AppendMessage(FlagSet flags, Optional<ZonedDateTime> date, MessageLiteral message)
        implements AutoCloseable {

    @Override
    public void close() {
        message.close();
    }

    /** Reads {@code SP append-message}, counted against the command's {@code allowance}. */
    static AppendMessage parse(Arguments in, AppendAllowance allowance)
            throws IOException, ProtocolViolation, ImapParseException {
        allowance.countMessage();
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
        if (reader.peek() != '{') {
            throw new ImapParseException("Expected the message as a literal");
        }
        return new AppendMessage(flags, date, allowance.literal(reader));
    }
}
