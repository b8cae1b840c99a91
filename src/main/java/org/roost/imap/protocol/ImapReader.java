package org.roost.imap.protocol;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.IntPredicate;
import org.roost.net.ProtocolViolation;

/**
 * The byte-level half of the IMAP grammar (RFC 3501 §4, §9): atoms, quoted strings and literals,
 * with every length bounded. Reads straight from the connection so that large literals can be
 * streamed; a synchronizing literal triggers the "+" continuation through {@link Continuation}.
 */
public final class ImapReader {
    /** Sends the "+ ..." continuation request before the client may send a synchronizing literal. */
    @FunctionalInterface
    public interface Continuation {
        void request() throws IOException;
    }

    private static final int NONE = -2;
    private final InputStream in;
    private final Continuation continuation;
    private int maxLineLength;
    private long maxLiteralSize;
    private int lineLength;
    private int peeked = NONE;

    public ImapReader(InputStream in, Continuation continuation, int maxLineLength, long maxLiteralSize) {
        this.in = in;
        this.continuation = continuation;
        this.maxLineLength = maxLineLength;
        this.maxLiteralSize = maxLiteralSize;
    }

    public void limits(int lineLength, long literalSize) {
        this.maxLineLength = lineLength;
        this.maxLiteralSize = literalSize;
    }

    public long maxLiteralSize() {
        return maxLiteralSize;
    }

    /** Starts a new command line (resets the line-length count). */
    public void startLine() {
        lineLength = 0;
    }

    public int peek() throws IOException, ProtocolViolation {
        if (peeked == NONE) {
            peeked = in.read();
            if (peeked >= 0 && ++lineLength > maxLineLength) {
                throw new ProtocolViolation("Line too long");
            }
        }
        return peeked;
    }

    public int next() throws IOException, ProtocolViolation {
        int c = peek();
        peeked = NONE;
        if (c < 0) {
            throw new EOFException("connection closed by client");
        }
        return c;
    }

    public boolean atLineEnd() throws IOException, ProtocolViolation {
        int c = peek();
        return c == '\r' || c == '\n';
    }

    public void expect(char wanted, String what) throws IOException, ProtocolViolation, ImapParseException {
        if (peek() != wanted) {
            throw new ImapParseException("Expected " + what);
        }
        next();
    }

    public void space() throws IOException, ProtocolViolation, ImapParseException {
        expect(' ', "a space");
    }

    /** CRLF; a bare LF is accepted too, as Dovecot does, because some clients send it. */
    public void lineEnd() throws IOException, ProtocolViolation, ImapParseException {
        int c = peek();
        if (c == '\r') {
            next();
            c = peek();
        }
        if (c != '\n') {
            throw new ImapParseException("Expected end of line");
        }
        next();
        lineLength = 0;
    }

    /** Discards what is left of a bad command line, including any non-synchronizing literal it announces. */
    public void skipLine() throws IOException, ProtocolViolation {
        var tail = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '\n') {
                int plus = tail.lastIndexOf("+}");
                int open = tail.lastIndexOf("{");
                if (plus > open && open >= 0 && plus == tail.length() - 2) {
                    long size = parseLong(tail.substring(open + 1, plus));
                    if (size < 0 || size > maxLiteralSize) {
                        throw new ProtocolViolation("Literal too big");
                    }
                    in.skipNBytes(size);
                    tail.setLength(0);
                    lineLength = 0;
                    continue;
                }
                lineLength = 0;
                return;
            }
            if (c != '\r') {
                tail.append((char) c);
                if (tail.length() > 32) {
                    tail.delete(0, tail.length() - 32);
                }
            }
        }
    }

    /** atom = 1*ATOM-CHAR; stops before any character that cannot be in an atom. */
    public String atom() throws IOException, ProtocolViolation, ImapParseException {
        return chars(Chars::isAtomChar, "an atom");
    }

    /** The characters of a tag or ASTRING-CHAR run: atom chars plus ']'. */
    public String astringChars() throws IOException, ProtocolViolation, ImapParseException {
        return chars(Chars::isAstringChar, "an atom");
    }

    public String tag() throws IOException, ProtocolViolation, ImapParseException {
        return chars(c -> Chars.isAstringChar(c) && c != '+', "a tag");
    }

    /** Reads a run of characters accepted by {@code accept}; at least one. */
    public String chars(IntPredicate accept, String what)
            throws IOException, ProtocolViolation, ImapParseException {
        var sb = new StringBuilder();
        while (true) {
            int c = peek();
            if (c < 0 || !accept.test(c)) {
                break;
            }
            sb.append((char) next());
        }
        if (sb.isEmpty()) {
            throw new ImapParseException("Expected " + what);
        }
        return sb.toString();
    }

    /** astring = 1*ASTRING-CHAR / string. */
    public byte[] astring() throws IOException, ProtocolViolation, ImapParseException {
        int c = peek();
        if (c == '"' || c == '{') {
            return string();
        }
        return astringChars().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** string = quoted / literal (also literal8 {@code ~{n}} where binary data is allowed). */
    public byte[] string() throws IOException, ProtocolViolation, ImapParseException {
        return switch (peek()) {
            case '"' -> quoted();
            case '{' -> literalBytes();
            default -> throw new ImapParseException("Expected a string");
        };
    }

    /** nstring = string / "NIL". */
    public byte[] nstring() throws IOException, ProtocolViolation, ImapParseException {
        if (peek() == 'N' || peek() == 'n') {
            var atom = atom();
            if (!atom.equalsIgnoreCase("NIL")) {
                throw new ImapParseException("Expected a string or NIL");
            }
            return null;
        }
        return string();
    }

    private byte[] quoted() throws IOException, ProtocolViolation, ImapParseException {
        next();
        var out = new ByteArrayOutputStream();
        while (true) {
            int c = next();
            switch (c) {
                case '"' -> {
                    return out.toByteArray();
                }
                case '\\' -> {
                    int e = next();
                    if (e != '"' && e != '\\') {
                        throw new ImapParseException("Only \\\" and \\\\ may be escaped in a quoted string");
                    }
                    out.write(e);
                }
                case '\r', '\n' -> throw new ImapParseException("Unterminated quoted string");
                case 0 -> throw new ImapParseException("NUL in a quoted string");
                default -> out.write(c);
            }
        }
    }

    /** The announcement of a literal: its size, whether it is synchronizing, and whether a {@code literal8}. */
    public record LiteralHeader(long size, boolean synchronizing, boolean binary) {}

    /**
     * {@code literal / literal8} where a message may be binary (APPEND, RFC 3516 §4.4 and §7:
     * {@code literal8 = "~{" number "}" CRLF *OCTET}, with LITERAL+'s "+" too): {@link #literalHeader()}
     * after an optional {@code ~}.
     */
    public LiteralHeader messageLiteralHeader() throws IOException, ProtocolViolation, ImapParseException {
        boolean binary = peek() == '~';
        if (binary) {
            next();
        }
        var header = literalHeader();
        return binary ? new LiteralHeader(header.size(), header.synchronizing(), true) : header;
    }

    /** Parses {@code {n}} or {@code {n+}} and the CRLF after it, sending the continuation when needed. */
    public LiteralHeader literalHeader() throws IOException, ProtocolViolation, ImapParseException {
        return literalHeader(maxLiteralSize);
    }

    /** {@link #literalHeader()} where the command allows at most {@code limit} bytes (never more than the reader's limit). */
    public LiteralHeader literalHeader(long limit) throws IOException, ProtocolViolation, ImapParseException {
        return literalHeader(limit, false);
    }

    /**
     * As {@link #literalHeader(long)}, for a literal the command refuses with its own answer when it is larger
     * than {@code limit} (and within the reader's limit). Such a literal is not read: a synchronizing one gets
     * no continuation (so the client sends nothing more of the command), a non-synchronizing one is read past
     * without being kept.
     */
    public LiteralHeader refusableLiteralHeader(long limit) throws IOException, ProtocolViolation, ImapParseException {
        return literalHeader(limit, true);
    }

    private LiteralHeader literalHeader(long limit, boolean refusable)
            throws IOException, ProtocolViolation, ImapParseException {
        expect('{', "a literal");
        var digits = chars(Chars::isDigit, "a literal size");
        boolean nonSync = peek() == '+';
        if (nonSync) {
            next();
        }
        expect('}', "'}' after the literal size");
        lineEnd();
        long size = parseLong(digits);
        if (size < 0 || size > (refusable ? maxLiteralSize : Math.min(limit, maxLiteralSize))) {
            if (nonSync) {
                throw new ProtocolViolation("Literal too big");
            }
            throw new LiteralTooBig(size);
        }
        if (size > limit) {
            if (nonSync) {
                in.skipNBytes(size);
            }
        } else if (!nonSync) {
            continuation.request();
        }
        return new LiteralHeader(size, !nonSync, false);
    }

    /** A synchronizing literal larger than allowed: refused before the client sends it. */
    public static final class LiteralTooBig extends ImapParseException {
        public LiteralTooBig(long size) {
            super(size < 0 ? "Literal size is out of range" : "Literal of " + size + " bytes is too big");
        }
    }

    private byte[] literalBytes() throws IOException, ProtocolViolation, ImapParseException {
        var header = literalHeader();
        if (header.size() > Integer.MAX_VALUE - 16) {
            throw new ProtocolViolation("Literal too big");
        }
        return readExactly((int) header.size());
    }

    public byte[] readExactly(int size) throws IOException {
        var data = in.readNBytes(size);
        if (data.length < size) {
            throw new EOFException("connection closed inside a literal");
        }
        return data;
    }

    /** Copies a literal's bytes to {@code out} without holding them in memory. */
    public void copyLiteral(long size, OutputStream out) throws IOException {
        var buffer = new byte[16 * 1024];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("connection closed inside a literal");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** A whole line as text (for SASL responses), without its CRLF. */
    public String line() throws IOException, ProtocolViolation {
        var sb = new StringBuilder();
        while (true) {
            int c = next();
            if (c == '\n') {
                lineLength = 0;
                int len = sb.length();
                return len > 0 && sb.charAt(len - 1) == '\r' ? sb.substring(0, len - 1) : sb.toString();
            }
            sb.append((char) c);
        }
    }

    public long number() throws IOException, ProtocolViolation, ImapParseException {
        var digits = chars(Chars::isDigit, "a number");
        long n = parseLong(digits);
        if (n < 0 || n > 0xFFFF_FFFFL) {
            throw new ImapParseException("Number out of range");
        }
        return n;
    }

    /**
     * number64 (RFC 9051 §9: 0 to 2^63-1), where IMAP4rev2 allows sizes past 4 GiB (Appendix E item 1);
     * more than 18 digits are refused, beyond any size a message can have.
     */
    public long number64() throws IOException, ProtocolViolation, ImapParseException {
        long n = parseLong(chars(Chars::isDigit, "a number"));
        if (n < 0) {
            throw new ImapParseException("Number out of range");
        }
        return n;
    }

    private static long parseLong(String digits) {
        if (digits.isEmpty() || digits.length() > 18) {
            return -1;
        }
        for (int i = 0; i < digits.length(); i++) {
            if (!Chars.isDigit(digits.charAt(i))) {
                return -1;
            }
        }
        return Long.parseLong(digits);
    }
}
