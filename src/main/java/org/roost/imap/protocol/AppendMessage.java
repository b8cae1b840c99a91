package org.roost.imap.protocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.roost.mail.FlagSet;
import org.roost.net.ProtocolViolation;

/**
 * One message of an APPEND (RFC 3502 {@code append-message}, RFC 4466 §2.1):
 * {@code [SP flag-list] [SP date-time] SP append-data}, where append-data is a literal, a literal8 (RFC 3516
 * §4.4), {@code "UTF8" SP "(" literal8 ")"} (RFC 6855 §4, also a cat-part) or, with CATENATE (RFC 4469 §5),
 * {@code "CATENATE" SP "(" cat-part *(SP cat-part) ")"}: the message's parts, in order. Closing it lets its literals go.
 */
public record AppendMessage(FlagSet flags, Optional<ZonedDateTime> date, List<Part> parts, boolean catenated)
        implements AutoCloseable {

    /** {@code cat-part}: the bytes of a literal, or those an IMAP URL names. */
    public sealed interface Part {}

    /** {@code "TEXT" SP literal}, or the whole message of a plain APPEND. */
    public record Text(MessageLiteral literal) implements Part {}

    /** {@code "URL" SP astring}. */
    public record Url(ImapUrl url) implements Part {}

    public AppendMessage {
        parts = List.copyOf(parts);
    }

    @Override
    public void close() {
        parts.forEach(AppendMessage::close);
    }

    private static void close(Part part) {
        if (part instanceof Text(var literal)) {
            literal.close();
        }
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
        if (reader.peek() == '{' || reader.peek() == '~') {
            return new AppendMessage(flags, date, List.of(new Text(allowance.literal(reader))), false);
        }
        var kind = Chars.isAtomChar(reader.peek()) ? reader.atom().toUpperCase(Locale.ROOT) : "";
        return switch (kind) {
            case "CATENATE" -> new AppendMessage(flags, date, catenation(in, allowance), true);
            case "UTF8" -> {
                in.space();
                yield new AppendMessage(flags, date, List.of(utf8(in, allowance)), false);
            }
            default -> throw new ImapParseException("Expected the message as a literal");
        };
    }

    /**
     * RFC 6855 §4 {@code utf8-literal} after its {@code "UTF8" SP}: {@code "(" literal8 ")"}, a message whose
     * header fields may be UTF-8; stored as sent.
     */
    private static Text utf8(Arguments in, AppendAllowance allowance)
            throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        reader.expect('(', "'(' after UTF8");
        if (reader.peek() != '~') {
            throw new ImapParseException("Expected a literal8 (~{n}) after UTF8 (");
        }
        var literal = allowance.literal(reader);
        try {
            reader.expect(')', "')' after the UTF8 literal");
            return new Text(literal);
        } catch (IOException | ProtocolViolation | ImapParseException | RuntimeException e) {
            literal.close();
            throw e;
        }
    }

    /** {@code SP "(" cat-part *(SP cat-part) ")"}; what was read is let go when the rest is bad. */
    private static List<Part> catenation(Arguments in, AppendAllowance allowance)
            throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        in.space();
        reader.expect('(', "'(' before the parts to catenate");
        var parts = new ArrayList<Part>();
        try {
            do {
                if (!parts.isEmpty()) {
                    in.space();
                }
                allowance.countPart(parts.size());
                parts.add(part(in, allowance));
            } while (reader.peek() != ')');
            reader.next();
            return parts;
        } catch (IOException | ProtocolViolation | ImapParseException | RuntimeException e) {
            parts.forEach(AppendMessage::close);
            throw e;
        }
    }

    private static Part part(Arguments in, AppendAllowance allowance)
            throws IOException, ProtocolViolation, ImapParseException {
        var reader = in.reader();
        var kind = reader.atom().toUpperCase(Locale.ROOT);
        in.space();
        return switch (kind) {
            case "TEXT" -> {
                if (reader.peek() != '{') {
                    throw new ImapParseException("Expected a literal after TEXT");
                }
                yield new Text(allowance.literal(reader));
            }
            case "URL" -> new Url(ImapUrl.parse(in.url(), in.settings()));
            case "UTF8" -> utf8(in, allowance);
            default -> throw new ImapParseException("Expected TEXT, URL or UTF8");
        };
    }
}
