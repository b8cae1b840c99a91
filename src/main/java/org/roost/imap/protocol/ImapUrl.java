package org.roost.imap.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.roost.net.ProtocolViolation;

/**
 * An IMAP URL of a message or message part in a CATENATE {@code URL} part (RFC 4469 §3), in the only form that
 * RFC allows: relative to the session's server and user, an absolute path (RFC 5092 {@code imessagepart}):
 * {@code /mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=section][/;PARTIAL=offset[.length]]}. Anything else (another
 * server or user, URLAUTH, a malformed one) is still an argument the command carries, {@link Invalid}, answered
 * {@code NO [BADURL]}, never BAD.
 */
public sealed interface ImapUrl {
    /** The URL as the client sent it (echoed in {@code [BADURL ...]}). */
    String text();

    /**
     * A URL of a part of a message of one of the user's mailboxes; {@code section} is empty for the whole message,
     * {@code length} -1 for everything from {@code offset}.
     */
    record Valid(String text, MailboxName mailbox, OptionalLong uidValidity, long uid, FetchItem.Section section,
            long offset, long length) implements ImapUrl {}

    record Invalid(String text) implements ImapUrl {}

    /** Keys in any case (RFC 5092 §9: case-insensitive); percent-escapes are decoded after the match. */
    Pattern FORM = Pattern.compile("/([^;/]+)(?:;UIDVALIDITY=([1-9][0-9]{0,9}))?/;UID=([1-9][0-9]{0,9})"
            + "(?:/;SECTION=([^/;]+))?(?:/;PARTIAL=([0-9]{1,10})(?:\\.([1-9][0-9]{0,9}))?)?",
            Pattern.CASE_INSENSITIVE);

    /** Parses a URL part; {@code settings} bound a section's header field list as FETCH's. */
    static ImapUrl parse(String text, ParserSettings settings) {
        var m = FORM.matcher(text);
        if (!m.matches()) {
            return new Invalid(text);
        }
        try {
            var mailbox = MailboxName.of(percentDecoded(m.group(1)));
            var validity = m.group(2) == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(2)));
            long uid = Long.parseLong(m.group(3));
            var section = section(m.group(4) == null ? "" : percentDecoded(m.group(4)), settings);
            long offset = m.group(5) == null ? 0 : Long.parseLong(m.group(5));
            long length = m.group(6) == null ? -1 : Long.parseLong(m.group(6));
            if (uid > 0xFFFFFFFFL || validity.orElse(1) > 0xFFFFFFFFL || offset > 0xFFFFFFFFL) {
                return new Invalid(text);
            }
            return new Valid(text, mailbox, validity, uid, section, offset, length);
        } catch (IllegalArgumentException | ImapParseException | IOException | ProtocolViolation e) {
            return new Invalid(text);
        }
    }

    /** The section by FETCH's own grammar (RFC 5092 §9 {@code section} is RFC 3501's {@code section-spec}). */
    private static FetchItem.Section section(String spec, ParserSettings settings)
            throws IOException, ProtocolViolation, ImapParseException {
        var bytes = ("BODY.PEEK[" + spec + "]\r\n").getBytes(StandardCharsets.UTF_8);
        var reader = new ImapReader(new ByteArrayInputStream(bytes), () -> {
            throw new IOException("no literal in a URL");
        }, bytes.length + 1, 0);
        reader.startLine();
        var items = new FetchItems(new Arguments(reader, settings)).items();
        if (items.size() != 1 || !(items.getFirst() instanceof FetchItem.Section section) || !reader.atLineEnd()) {
            throw new ImapParseException("not a section");
        }
        return section;
    }

    /** RFC 3986 §2.1 percent-decoding, as UTF-8 (malformed UTF-8 is refused, not replaced). */
    private static String percentDecoded(String s) {
        var out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new IllegalArgumentException("truncated escape");
                }
                out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c < 0x80) {
                out.write(c);
            } else {
                throw new IllegalArgumentException("not a URL character");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("not UTF-8", e);
        }
    }
}
