package org.roost.managesieve;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.net.ProtocolViolation;

/**
 * Reads what a ManageSieve client sends as one command, or as one response of a SASL exchange: words up to the
 * line end (RFC 5804 §4), where a string may be quoted or a literal ({@code {n+}}, or {@code {n}}, which some
 * clients send although no continuation exists). Every line is bounded by {@code limits.maxLineLength}; a literal
 * above the size the caller keeps is read and dropped, one above the size it skips ends the session. A syntax error
 * does not stop the reading: the rest of the command, literals included, is consumed, so the next command starts
 * where the client thinks it does.
 */
final class ManageSieveReader {
    /** No command takes more than three words after its name; a client sending more is not speaking ManageSieve. */
    static final int MAX_WORDS = 4;
    private static final int MAX_LITERAL_DIGITS = 18;
    private final InputStream in;
    private final byte[] line;

    /** A line passed the bound; the rest of it is still unread (see {@link #skipLine}). */
    static final class LineTooLong extends IOException {
        LineTooLong() {
            super("line too long", null);
        }
    }

    /**
     * How large a literal may be: up to {@code keep} octets it is read into memory, up to {@code skip} octets it is
     * read and dropped ({@link Word.Skipped}), beyond that the session ends.
     */
    record LiteralCaps(long keep, long skip) {}

    /** The words of one command, or the first syntax error in it (the command was consumed either way). */
    record Words(List<Word> words, Optional<String> error) {}

    ManageSieveReader(InputStream in, int maxLineLength) {
        this.in = in;
        this.line = new byte[maxLineLength];
    }

    Words read(LiteralCaps caps) throws IOException, ProtocolViolation {
        var words = new ArrayList<Word>();
        var tokenizer = new Tokenizer(words);
        int literals = 0;
        while (true) {
            int length = readLine();
            int marker = literalMarker(length);
            tokenizer.tokenize(line, marker < 0 ? length : marker);
            if (marker < 0) {
                return new Words(words, Optional.ofNullable(tokenizer.error));
            }
            if (++literals > MAX_WORDS) {
                throw new ProtocolViolation("Too many literals in one command.");
            }
            long size = literalSize(marker, length);
            if (size > caps.skip()) {
                throw new ProtocolViolation("Literal too large.");
            }
            tokenizer.literal(marker > 0 && line[marker - 1] == ' ', literal(size, tokenizer.error == null ? caps.keep() : -1));
        }
    }

    /** Discards up to {@code limit} bytes through the next LF; false when no LF came within the limit. */
    boolean skipLine(long limit) throws IOException {
        for (long i = 0; i < limit; i++) {
            if (next() == '\n') {
                return true;
            }
        }
        return false;
    }

    /** True when the client has already sent more (pipelining): the answer need not be flushed yet. */
    boolean hasBufferedInput() throws IOException {
        return in.available() > 0;
    }

    /** Reads a line into {@link #line} without its LF (or CRLF); returns its length. */
    private int readLine() throws IOException {
        int n = 0;
        while (true) {
            int b = next();
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n == line.length) {
                throw new LineTooLong();
            }
            line[n++] = (byte) b;
        }
    }

    private int next() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("client closed the connection");
        }
        return b;
    }

    /** Where a literal marker {@code {digits[+]}} ending the line starts (at the start or after a space); -1: none. */
    private int literalMarker(int length) {
        if (length < 3 || line[length - 1] != '}') {
            return -1;
        }
        int end = line[length - 2] == '+' ? length - 2 : length - 1;
        int start = end;
        while (start > 0 && line[start - 1] >= '0' && line[start - 1] <= '9') {
            start--;
        }
        int digits = end - start;
        if (digits == 0 || digits > MAX_LITERAL_DIGITS || start == 0 || line[start - 1] != '{') {
            return -1;
        }
        return start - 1;
    }

    private long literalSize(int marker, int length) {
        long size = 0;
        for (int i = marker + 1; i < length && line[i] >= '0' && line[i] <= '9'; i++) {
            size = size * 10 + (line[i] - '0');
        }
        return size;
    }

    /** Reads a literal's octets: kept when at most {@code keep}, else dropped. */
    private Word literal(long size, long keep) throws IOException {
        if (size <= keep) {
            var bytes = in.readNBytes((int) size);
            if (bytes.length < size) {
                throw new EOFException("client closed the connection inside a literal");
            }
            return new Word.Text(bytes);
        }
        for (long left = size; left > 0; ) {
            long skipped = in.skip(left);
            if (skipped <= 0) {
                next();
                skipped = 1;
            }
            left -= skipped;
        }
        return new Word.Skipped(size);
    }

    /** Splits command text into words (RFC 5804 §4: atoms, numbers, quoted strings), keeping the first error. */
    private static final class Tokenizer {
        private final List<Word> words;
        private String error;
        /** A word came last: the next one must follow a space. */
        private boolean needSpace;

        Tokenizer(List<Word> words) {
            this.words = words;
        }

        void tokenize(byte[] b, int end) {
            int i = 0;
            while (i < end && error == null) {
                int start = i;
                while (i < end && b[i] == ' ') {
                    i++;
                }
                if (i == end) {
                    return;
                }
                if (needSpace && i == start) {
                    fail("Missing space between arguments.");
                    return;
                }
                i = b[i] == '"' ? quoted(b, i + 1, end) : bare(b, i, end);
            }
        }

        void literal(boolean afterSpace, Word word) {
            if (error != null) {
                return;
            }
            if (needSpace && !afterSpace) {
                fail("Missing space between arguments.");
                return;
            }
            add(word);
        }

        private int quoted(byte[] b, int i, int end) {
            var text = new java.io.ByteArrayOutputStream();
            while (i < end) {
                byte c = b[i++];
                if (c == '"') {
                    add(new Word.Text(text.toByteArray()));
                    return i;
                }
                if (c == '\\') {
                    if (i == end || (b[i] != '"' && b[i] != '\\')) {
                        fail("Invalid escape in a quoted string: only \\\" and \\\\ are allowed.");
                        return end;
                    }
                    c = b[i++];
                } else if (c == 0 || c == '\r') {
                    fail("Invalid character in a quoted string.");
                    return end;
                }
                text.write(c);
            }
            fail("Missing closing quote.");
            return end;
        }

        private int bare(byte[] b, int i, int end) {
            int start = i;
            while (i < end && b[i] != ' ') {
                if (!atomChar(b[i])) {
                    fail("Invalid character in an atom.");
                    return end;
                }
                i++;
            }
            var text = new String(b, start, i - start, java.nio.charset.StandardCharsets.US_ASCII);
            add(text.chars().allMatch(Character::isDigit) ? number(text) : new Word.Atom(text));
            return i;
        }

        /** RFC 5804 §4: a number is below 2^32 and has no leading zero. */
        private Word number(String digits) {
            if (digits.length() > 10 || (digits.length() > 1 && digits.charAt(0) == '0')
                    || Long.parseLong(digits) > 0xFFFF_FFFFL) {
                fail("Invalid number: " + (digits.length() > 12 ? digits.substring(0, 12) + "..." : digits));
                return new Word.Number(0);
            }
            return new Word.Number(Long.parseLong(digits));
        }

        /** ATOM-CHAR: any CHAR but "(" ")" "{" SP CTL DQUOTE "\"; 8-bit octets are not CHARs. */
        private static boolean atomChar(byte c) {
            return c > 0x20 && c < 0x7F && c != '(' && c != ')' && c != '{' && c != '"' && c != '\\';
        }

        private void add(Word word) {
            if (error != null) {
                return;
            }
            if (words.size() == MAX_WORDS) {
                fail("Too many arguments.");
                return;
            }
            words.add(word);
            needSpace = true;
        }

        private void fail(String message) {
            if (error == null) {
                error = message;
            }
        }
    }
}
