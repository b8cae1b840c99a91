package org.roost.imap.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.roost.net.ProtocolViolation;

/**
 * The grammar of the IMAP URLs Roost reads: RFC 4467 §9's {@code authimapurl} over RFC 5092's
 * {@code imessagepart} (RFC 5092 is not at hand: its rules are taken from RFC 4467 §9 and RFC 3986). Keys match
 * in any case; components are percent-decoded (RFC 3986 §2.1) after the match, as UTF-8: a mailbox name in a URL
 * is UTF-8 (RFC 5092 §3), never modified UTF-7. Every character class is closed, so a URL holds no space, control
 * or non-ASCII character, and no pattern backtracks more than once over the text.
 */
final class UrlGrammar {
    /** {@code achar}: unreserved, pct-encoded, the sub-delims RFC 5092 keeps, "&", "=" and "~". */
    private static final String ACHAR = "[A-Za-z0-9\\-._~%!$'()*+,&=]";
    /** {@code bchar}: achar, ":", "@" and "/" (a mailbox name may hold the hierarchy delimiter). */
    private static final String BCHAR = "[A-Za-z0-9\\-._~%!$'()*+,&=:@/]";
    private static final String MESSAGE_PART = "/(" + BCHAR + "+)(?:;UIDVALIDITY=([1-9][0-9]{0,9}))?/;UID=([1-9][0-9]{0,9})"
            + "(?:/;SECTION=(" + BCHAR.replace("/", "") + "+))?(?:/;PARTIAL=([0-9]{1,10})(?:\\.([1-9][0-9]{0,9}))?)?";
    private static final Pattern RELATIVE = Pattern.compile(MESSAGE_PART, Pattern.CASE_INSENSITIVE);
    /** RFC 3339 {@code date-time}; out-of-range fields are refused when it is converted. */
    private static final String DATE_TIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\\.[0-9]{1,9})?"
            + "(?:Z|[+-][0-9]{2}:[0-9]{2})";
    private static final String RUMP = "imap://(" + ACHAR + "+)(?:;AUTH=(?:\\*|" + ACHAR + "+))?@"
            + "(?:\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9\\-._~%!$'()*+,&=]+)(?::[0-9]{1,5})?" + MESSAGE_PART
            + "(?:;EXPIRE=(" + DATE_TIME + "))?;URLAUTH=(anonymous|authuser|submit\\+" + ACHAR + "+|user\\+" + ACHAR
            + "+)";
    private static final Pattern RUMP_ONLY = Pattern.compile(RUMP, Pattern.CASE_INSENSITIVE);
    private static final Pattern FULL = Pattern.compile(RUMP + ":([A-Za-z0-9\\-.]+):([0-9A-Fa-f]{32,})",
            Pattern.CASE_INSENSITIVE);
    private static final int OWNER = 1;
    private static final int PART = 2;
    private static final int EXPIRE = 8;
    private static final int ACCESS = 9;

    private UrlGrammar() {}

    static ImapUrl url(String text, ParserSettings settings) {
        if (text.length() > settings.maxUrlLength()) {
            return new ImapUrl.Invalid(text);
        }
        try {
            var relative = RELATIVE.matcher(text);
            if (relative.matches()) {
                return new ImapUrl.Relative(text, messagePart(relative, 1, settings));
            }
            var full = FULL.matcher(text);
            if (full.matches()) {
                return new ImapUrl.Authorized(text, rump(text.substring(0, full.end(ACCESS)), full, settings),
                        full.group(ACCESS + 1).toUpperCase(Locale.ROOT), full.group(ACCESS + 2).toLowerCase(Locale.ROOT));
            }
        } catch (IllegalArgumentException | ImapParseException e) {
            // not a URL Roost can read: a value like any other
        }
        return new ImapUrl.Invalid(text);
    }

    static Optional<UrlRump> rump(String text, ParserSettings settings) {
        if (text.length() > settings.maxUrlLength()) {
            return Optional.empty();
        }
        var m = RUMP_ONLY.matcher(text);
        try {
            return m.matches() ? Optional.of(rump(text, m, settings)) : Optional.empty();
        } catch (IllegalArgumentException | ImapParseException e) {
            return Optional.empty();
        }
    }

    static String rumpProblem(String text, ParserSettings settings) {
        var upper = text.toUpperCase(Locale.ROOT);
        if (text.length() > settings.maxUrlLength()) {
            return "URL longer than " + settings.maxUrlLength() + " characters";
        } else if (!upper.matches("IMAP://[^/@]+@.*")) {
            return "missing owner username in supplied URL";
        } else if (!upper.contains(";URLAUTH=")) {
            return "missing access identifier in supplied URL";
        } else if (upper.matches(".*;URLAUTH=[^;]*:.*")) {
            return "supplied URL already carries a mechanism and token";
        }
        return "supplied URL is not an IMAP URL of a message or message part";
    }

    private static UrlRump rump(String text, Matcher m, ParserSettings settings) throws ImapParseException {
        var expire = Optional.ofNullable(m.group(EXPIRE)).map(UrlGrammar::instant);
        var access = m.group(ACCESS);
        var lower = access.toLowerCase(Locale.ROOT);
        UrlRump.Access who;
        if (lower.equals("anonymous")) {
            who = new UrlRump.Anonymous();
        } else if (lower.equals("authuser")) {
            who = new UrlRump.AuthUser();
        } else if (lower.startsWith("submit+")) {
            who = new UrlRump.Submit(percentDecoded(access.substring("submit+".length())));
        } else {
            who = new UrlRump.User(percentDecoded(access.substring("user+".length())));
        }
        return new UrlRump(text, percentDecoded(m.group(OWNER)), messagePart(m, PART, settings), expire, who);
    }

    private static Instant instant(String dateTime) {
        try {
            return OffsetDateTime.parse(dateTime.toUpperCase(Locale.ROOT)).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a date-time", e);
        }
    }

    /** The six groups of {@link #MESSAGE_PART} from {@code first} on. */
    private static ImapUrl.MessagePart messagePart(Matcher m, int first, ParserSettings settings)
            throws ImapParseException {
        var mailbox = MailboxName.of(percentDecoded(m.group(first)), MailboxNaming.UTF8);
        var validity = m.group(first + 1) == null ? OptionalLong.empty()
                : OptionalLong.of(Long.parseLong(m.group(first + 1)));
        long uid = Long.parseLong(m.group(first + 2));
        var section = section(m.group(first + 3) == null ? "" : percentDecoded(m.group(first + 3)), settings);
        long offset = m.group(first + 4) == null ? 0 : Long.parseLong(m.group(first + 4));
        long length = m.group(first + 5) == null ? -1 : Long.parseLong(m.group(first + 5));
        if (uid > 0xFFFFFFFFL || validity.orElse(1) > 0xFFFFFFFFL || offset > 0xFFFFFFFFL || length > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("number out of range");
        }
        return new ImapUrl.MessagePart(mailbox, validity, uid, section, offset, length);
    }

    /** The section by FETCH's own grammar (RFC 5092's {@code section} is RFC 3501's {@code section-spec}). */
    private static FetchItem.Section section(String spec, ParserSettings settings) throws ImapParseException {
        var bytes = ("BODY.PEEK[" + spec + "]\r\n").getBytes(StandardCharsets.UTF_8);
        try {
            var reader = new ImapReader(new ByteArrayInputStream(bytes), () -> {
                throw new IOException("no literal in a URL");
            }, bytes.length + 1, 0);
            reader.startLine();
            var items = new FetchItems(new Arguments(reader, settings)).items();
            if (items.size() != 1 || !(items.getFirst() instanceof FetchItem.Section section) || !reader.atLineEnd()) {
                throw new ImapParseException("not a section");
            }
            return section;
        } catch (IOException | ProtocolViolation e) {
            throw new ImapParseException("not a section");
        }
    }

    /** RFC 3986 §2.1 percent-decoding, as UTF-8: a malformed escape or malformed UTF-8 is refused, not replaced. */
    static String percentDecoded(String s) {
        var out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                int high = i + 1 < s.length() ? hexValue(s.charAt(i + 1)) : -1;
                int low = i + 2 < s.length() ? hexValue(s.charAt(i + 2)) : -1;
                if (high < 0 || low < 0) {
                    throw new IllegalArgumentException("malformed percent escape");
                }
                out.write(high << 4 | low);
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

    /** An ASCII hex digit's value, else -1 (Character.digit would take other scripts' digits). */
    private static int hexValue(char c) {
        return c < 0x80 ? Character.digit(c, 16) : -1;
    }
}
