package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.james.mime4j.codec.Base64InputStream;
import org.apache.james.mime4j.codec.DecodeMonitor;
import org.apache.james.mime4j.codec.DecoderUtil;
import org.apache.james.mime4j.codec.QuotedPrintableInputStream;
import org.apache.james.mime4j.util.CharsetUtil;

/**
 * Text matching for SEARCH (RFC 3501 §6.4.4): header values decoded for humans, and streaming
 * substring search over decoded body text. Matching uses the i;unicode-casemap comparator (RFC 5051,
 * required by I18NLEVEL=1, RFC 5255 §4.6): both sides {@link #fold folded}, then compared octet by octet. Bodies are streamed through a small buffer, so memory stays bounded for any message size.
 */
public final class SearchText {
    /** What the matcher reads at a time: a search makes one per message, and most units are header lines. */
    private static final int FEED_CHARS = 1024;

    private SearchText() {
    }

    /**
     * Values of the named header field of the top-level message, unfolded and decoded: raw 8-bit
     * bytes as UTF-8 when valid (else ISO-8859-1), RFC 2047 encoded words in any charset Java knows.
     */
    public static List<String> headerValues(MessageStructure message, String fieldName) {
        List<String> out = new ArrayList<>();
        for (String raw : message.headerValues(fieldName)) {
            out.add(decodeHeader(raw));
        }
        return out;
    }

    /**
     * SEARCH HEADER/FROM/TO/CC/BCC/SUBJECT semantics: true if some field with this name contains
     * {@code needle}; an empty needle matches every message that has the field.
     */
    public static boolean headerContains(MessageStructure message, String fieldName, String needle) {
        return anyContains(headerValues(message, fieldName), needle);
    }

    /**
     * SEARCH FROM/TO/CC/BCC: RFC 3501 §6.4.4 matches "the envelope structure's" field, so besides
     * the header text the addresses count as parsed: {@code <user (c)@ (c) example.org>} is found
     * by "user@example.org", as Dovecot finds it. Each address is written "Name <mailbox@host>",
     * a group as "group: ...;".
     */
    public static boolean addressContains(MessageStructure message, String fieldName, String needle) {
        return anyContains(addressValues(message, fieldName), needle);
    }

    /**
     * The texts in which {@link #addressContains} looks for a needle: the decoded header values, then
     * (for From, To, Cc and Bcc) the envelope's addresses as one text.
     */
    public static List<String> addressValues(MessageStructure message, String fieldName) {
        var values = headerValues(message, fieldName);
        var envelope = message.envelope();
        List<Address> addresses = switch (fieldName.toLowerCase(Locale.ROOT)) {
            case "from" -> envelope.from();
            case "to" -> envelope.to();
            case "cc" -> envelope.cc();
            case "bcc" -> envelope.bcc();
            default -> null;
        };
        if (addresses != null) {
            values.add(addressText(addresses));
        }
        return values;
    }

    private static boolean anyContains(List<String> values, String needle) {
        String folded = fold(needle);
        for (String value : values) {
            if (fold(value).contains(folded)) {
                return true;
            }
        }
        return false;
    }

    private static String addressText(List<Address> addresses) {
        var out = new StringBuilder();
        for (Address a : addresses) {
            if (a.isGroupEnd()) {
                out.append("; ");
            } else if (a.isGroupStart()) {
                out.append(decodeHeader(a.mailbox())).append(": ");
            } else {
                if (a.name() != null) {
                    out.append(decodeHeader(a.name())).append(' ');
                }
                out.append('<');
                if (a.adl() != null) {
                    out.append(a.adl()).append(':');
                }
                out.append(a.mailbox() == null ? "" : a.mailbox()).append('@')
                        .append(a.host() == null ? "" : a.host()).append(">, ");
            }
        }
        return out.toString();
    }

    /** Decodes one raw header value (one char per byte, folds kept) for display and matching. */
    public static String decodeHeader(String raw) {
        if (isPlain(raw)) {
            return raw;
        }
        byte[] bytes = raw.getBytes(StandardCharsets.ISO_8859_1);
        String text = decodeBytes(bytes);
        String unfolded = text.replace("\r\n", "").replace("\n", "").replace("\r", "");
        try {
            return DecoderUtil.decodeEncodedWords(unfolded, DecodeMonitor.SILENT);
        } catch (IllegalArgumentException e) {
            return unfolded;
        }
    }

    /**
     * ASCII on one line without an encoded word's start: what {@link #decodeHeader} returns as it is (most
     * addresses and many subjects; a first SORT decodes six values of every message).
     */
    private static boolean isPlain(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c >= 0x80 || c == '\r' || c == '\n') {
                return false;
            }
        }
        return !raw.contains("=?");
    }

    /**
     * SEARCH BODY: true if the decoded text of some text part of the message contains
     * {@code needle}. {@code normalized} is the CRLF-normalized message from its first byte; it is
     * read forward once and not closed.
     */
    public static boolean bodyContains(MessageStructure message, InputStream normalized, String needle)
            throws IOException {
        return search(message, normalized, needle, false, AttachmentReader.NONE);
    }

    /** SEARCH TEXT: like {@link #bodyContains} but the headers (also of attached messages) count too. */
    public static boolean textContains(MessageStructure message, InputStream normalized, String needle)
            throws IOException {
        return search(message, normalized, needle, true, AttachmentReader.NONE);
    }

    /** SEARCH BODY or TEXT ({@code headers}), with the text {@code attachments} reads of other parts. */
    public static boolean contains(MessageStructure message, InputStream normalized, String needle, boolean headers,
            AttachmentReader attachments) throws IOException {
        return search(message, normalized, needle, headers, attachments);
    }

    private static boolean search(MessageStructure message, InputStream in, String needle, boolean headers,
            AttachmentReader attachments) throws IOException {
        Matcher matcher = new Matcher(fold(needle));
        if (matcher.isEmpty()) {
            return true;
        }
        return readUnits(message, in, headers, attachments, (unit, header) -> {
            matcher.reset();
            return matcher.feed(unit);
        });
    }

    /** Reads the text of a part that is not text (a PDF, an office document), when the server can. */
    @FunctionalInterface
    public interface AttachmentReader {
        AttachmentReader NONE = (part, decoded) -> null;

        /** The text of {@code part}, whose content (transfer encoding undone) is {@code decoded}; null when none. */
        Reader text(Part part, InputStream decoded) throws IOException;
    }

    /** Takes the units {@link #readUnits} reads, one at a time. */
    @FunctionalInterface
    public interface UnitReader {
        /** {@code header}: a header line, otherwise a text part; true to stop reading. */
        boolean read(Reader unit, boolean header) throws IOException;
    }

    /**
     * Reads what SEARCH TEXT ({@code headers}) or BODY looks into, unit by unit, in byte order: each
     * header line of every entity with its own header (its name, ": " and its decoded value, folded
     * once), the decoded text of every text part, and what {@code attachments} reads of the other leaf
     * parts. A needle is found when it lies in one unit, after {@link #fold folding} the unit's code points
     * one by one. Stops when {@code reader} says so, and says whether it did.
     */
    public static boolean readUnits(MessageStructure message, InputStream in, boolean headers,
            AttachmentReader attachments, UnitReader reader) throws IOException {
        List<Part> leaves = new ArrayList<>();
        collect(message.root(), leaves);
        Cursor cursor = new Cursor(in);
        for (Part p : leaves) {
            if (p.envelope() != null) {
                // an entity with its own message header: the top level or an attached message
                if (headers && cursor.skipTo(p.headerStart())
                        && readHeaders(p, cursor, reader)) {
                    return true;
                }
                if (p.isMultipart() || p.isMessageRfc822()) {
                    continue;
                }
            }
            if (!isText(p) && attachments == AttachmentReader.NONE || !cursor.skipTo(p.bodyStart())) {
                continue;
            }
            var unit = isText(p) ? reader(p, cursor.limited(p.bodySize()))
                    : attachments.text(p, decoded(p, cursor.limited(p.bodySize())));
            if (unit != null && reader.read(unit, false)) {
                return true;
            }
        }
        return false;
    }

    /** Messages (for their headers) and leaf parts, in byte order. */
    private static void collect(Part p, List<Part> out) {
        if (p.envelope() != null || (!p.isMultipart() && !p.isMessageRfc822())) {
            out.add(p);
        }
        for (Part c : p.children()) {
            collect(c, out);
        }
        p.message().ifPresent(m -> collect(m, out));
    }

    private static boolean readHeaders(Part p, Cursor cursor, UnitReader reader) throws IOException {
        byte[] header = cursor.limited(p.headerSize()).readAllBytesBounded(MessageStructure.Limits.DEFAULT.maxHeaderBytes());
        for (HeaderField f : HeaderParser.parse(header)) {
            String line = f.name() + ": " + (f.value() == null ? "" : decodeHeader(f.value()));
            if (reader.read(new StringReader(fold(line)), true)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isText(Part p) {
        return p.mediaType().equals("text") || p.mediaType().equals("message") && !p.isMessageRfc822();
    }

    private static InputStream decoded(Part p, InputStream body) {
        return switch (p.transferEncoding()) {
            case "base64" -> new Base64InputStream(body, DecodeMonitor.SILENT);
            case "quoted-printable" -> new QuotedPrintableInputStream(body, DecodeMonitor.SILENT);
            default -> body;
        };
    }

    /** The text of a part's body as its Content-Transfer-Encoding and charset make it (bad bytes become U+FFFD). */
    public static Reader reader(Part p, InputStream body) {
        InputStream decoded = decoded(p, body);
        Charset cs = p.charset().map(SearchText::charset).orElse(StandardCharsets.UTF_8);
        return new InputStreamReader(decoded, cs.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private static Charset charset(String name) {
        Charset cs = CharsetUtil.lookup(name.trim());
        return cs != null ? cs : StandardCharsets.ISO_8859_1;
    }

    private static String decodeBytes(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * The "titlecased canonicalized" form of {@code s} (RFC 5051 §2, the i;unicode-casemap comparator): each
     * code point titlecased, then decomposed (NFKD). SEARCH's string keys match when the needle's form is a
     * substring of the text's (RFC 5255 §4.6, I18NLEVEL=1), so case does not count and diacritics do: "KÖLN"
     * finds "Köln", "koln" does not (though "zoe" finds "Zoë", a prefix of its decomposed form). Code point
     * by code point: folding a text in pieces gives what folding it whole gives, as long as no piece ends
     * inside a surrogate pair.
     */
    public static String fold(String s) {
        if (isFolded(s)) {
            return s;
        }
        if (isAscii(s)) {
            return s.toUpperCase(Locale.ROOT); // what appendFolded makes of each: a-z become A-Z
        }
        StringBuilder sb = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> appendFolded(sb, cp));
        return sb.toString();
    }

    /** RFC 5051 §2 steps 2 and 3 for one code point; ASCII titlecases to its upper case and decomposes to itself. */
    private static void appendFolded(StringBuilder out, int cp) {
        if (cp < 0x80) {
            out.append((char) (cp >= 'a' && cp <= 'z' ? cp - ('a' - 'A') : cp));
        } else {
            out.append(Normalizer.normalize(Character.toString(Character.toTitleCase(cp)), Normalizer.Form.NFKD));
        }
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** ASCII without lower-case letters: its own form. */
    private static boolean isFolded(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80 || c >= 'a' && c <= 'z') {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads {@code from} into {@code buffer} without ending inside a surrogate pair (one more char is read
     * then), so each read can be {@link #fold folded} on its own; returns the chars read, or -1 at the end.
     */
    public static int readWhole(Reader from, char[] buffer) throws IOException {
        int n = from.read(buffer, 0, buffer.length - 1);
        if (n > 0 && Character.isHighSurrogate(buffer[n - 1])) {
            int low = from.read();
            if (low >= 0) {
                buffer[n++] = (char) low;
            }
        }
        return n;
    }

    /** Forward-only position over the message stream. */
    private static final class Cursor {
        private final InputStream in;
        private long pos;

        Cursor(InputStream in) {
            this.in = in;
        }

        /** Skips to {@code offset}; false when already past it (overlapping entity) or at EOF. */
        boolean skipTo(long offset) throws IOException {
            if (offset < pos) {
                return false;
            }
            while (pos < offset) {
                long n = in.skip(offset - pos);
                if (n <= 0) {
                    if (in.read() < 0) {
                        return false;
                    }
                    n = 1;
                }
                pos += n;
            }
            return true;
        }

        Limited limited(long length) {
            return new Limited(length);
        }

        /** The next {@code length} bytes of the message. */
        final class Limited extends InputStream {
            private long left;

            Limited(long left) {
                this.left = left;
            }

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                    pos++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                    pos += n;
                }
                return n;
            }

            byte[] readAllBytesBounded(int max) throws IOException {
                return readNBytes((int) Math.min(max, left));
            }
        }
    }

    /**
     * Knuth-Morris-Pratt over a stream of already folded chars. One per message searched, fed each of its
     * units (a TEXT search feeds every header line): its buffers are made once, not per unit.
     */
    private static final class Matcher {
        private final String needle;
        private final int[] failure;
        private final char[] buf = new char[FEED_CHARS];
        private final StringBuilder folded = new StringBuilder(8);
        private int matched;

        Matcher(String needle) {
            this.needle = needle;
            this.failure = new int[needle.length()];
            for (int i = 1, k = 0; i < needle.length(); i++) {
                while (k > 0 && needle.charAt(i) != needle.charAt(k)) {
                    k = failure[k - 1];
                }
                if (needle.charAt(i) == needle.charAt(k)) {
                    k++;
                }
                failure[i] = k;
            }
        }

        boolean isEmpty() {
            return needle.isEmpty();
        }

        void reset() {
            matched = 0;
        }

        boolean feed(Reader r) throws IOException {
            int n;
            while ((n = readWhole(r, buf)) > 0) {
                for (int i = 0; i < n; ) {
                    int cp = Character.codePointAt(buf, i, n);
                    i += Character.charCount(cp);
                    folded.setLength(0);
                    appendFolded(folded, cp);
                    for (int f = 0; f < folded.length(); f++) {
                        if (accept(folded.charAt(f))) {
                            return true;
                        }
                    }
                }
            }
            return false;
        }

        /** Knuth-Morris-Pratt step; true when the whole needle has been seen. */
        private boolean accept(char c) {
            while (matched > 0 && c != needle.charAt(matched)) {
                matched = failure[matched - 1];
            }
            if (c == needle.charAt(matched)) {
                matched++;
                return matched == needle.length();
            }
            return false;
        }
    }
}
