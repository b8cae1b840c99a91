package org.roost.storage.mbox;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Turns the stored bytes of a message (everything after its {@code From_} line, up to the line end
 * that separates it from the next message) into the message clients see, or (writing) a message
 * into the bytes to store:
 * <ul>
 * <li>the mailbox's bookkeeping headers are left out ({@link #isHidden}: {@code Status},
 *     {@code X-Status}, {@code X-UID}, {@code X-Keywords}, {@code X-IMAP}, {@code X-IMAPbase},
 *     {@code Content-Length}, and the {@code Lines} that mutt writes right after its
 *     {@code Content-Length}), with their continuation lines, as Dovecot and UW-IMAP hide them;</li>
 * <li>mboxrd quoting is undone: a line of one or more {@code >} followed by {@code From } loses one
 *     {@code >}; writing, every line of zero or more {@code >} and {@code From } gains one, so a message
 *     Roost stored reads back byte for byte (and no line of it can be taken for a separator).</li>
 * </ul>
 * Line ends are kept as stored. A push parser, fed in pieces of any size: the same transformation
 * measures messages while the mailbox is scanned and streams them to clients, so the two never
 * disagree. State is bounded (a header name of at most {@value #NAME_LOOKAHEAD} bytes, a count of
 * {@code >}), whatever the input.
 */
final class Exposure {

    /** Receives the exposed bytes. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** Enough for the longest hidden header name and its colon ({@code Content-Length:}). */
    static final int NAME_LOOKAHEAD = 16;
    private static final byte[] FROM = "From ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] QUOTE = {'>'};
    private static final byte[] LF = {'\n'};
    private static final String[] HIDDEN = {"status", "x-status", "x-uid", "x-keywords", "x-imap", "x-imapbase",
        "content-length"};

    private enum State { LINE_START, NAME, QUOTES, QUOTED_FROM, COPY, SKIP }

    private final Sink sink;
    private final boolean writing;
    private State state = State.LINE_START;
    private boolean inHeader = true;
    private final byte[] name = new byte[NAME_LOOKAHEAD];
    private int nameLength;
    private long quotes;
    private int fromMatched;
    private boolean hiddenHeader;
    private boolean afterContentLength;
    private boolean endsWithLineEnd;
    private final byte[] single = new byte[1];
    private long emitted;
    private long headerLength = -1;

    /** Shows stored bytes as clients see them. */
    Exposure(Sink sink) {
        this(sink, false);
    }

    /** {@code writing}: turns a message into the bytes to store (quoting instead of unquoting). */
    Exposure(Sink sink, boolean writing) {
        this.sink = sink;
        this.writing = writing;
    }

    /** The bytes given to the sink up to and with the empty line that ends the header; -1 while there was none. */
    long headerLength() {
        return headerLength;
    }

    /** All bytes given to the sink. */
    long emitted() {
        return emitted;
    }

    /** True when the last byte given to the sink was the LF of a line it was given. */
    boolean endsWithLineEnd() {
        return endsWithLineEnd;
    }

    /** Whether a header called {@code name} (any case) is bookkeeping the mailbox keeps from clients. */
    static boolean isHidden(String name, boolean afterContentLength) {
        for (var hidden : HIDDEN) {
            if (hidden.equalsIgnoreCase(name)) {
                return true;
            }
        }
        return afterContentLength && name.equalsIgnoreCase("lines");
    }

    void feed(byte[] b, int offset, int length) throws IOException {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            switch (state) {
                case COPY -> {
                    int lf = indexOfLf(b, i, end);
                    int stop = lf < 0 ? end : lf + 1;
                    emit(b, i, stop - i);
                    if (lf >= 0) {
                        lineEnded(true);
                    }
                    i = stop;
                }
                case SKIP -> {
                    int lf = indexOfLf(b, i, end);
                    if (lf < 0) {
                        i = end;
                    } else {
                        lineEnded(false);
                        i = lf + 1;
                    }
                }
                default -> step(b[i++]);
            }
        }
    }

    /** The content ended: a line left undecided (no LF came) is shown as it is. */
    void finish() throws IOException {
        switch (state) {
            case NAME -> emit(name, 0, nameLength);
            case QUOTES -> emitQuotes(quotes);
            case QUOTED_FROM -> {
                emitQuotes(quotes);
                emit(FROM, 0, fromMatched);
            }
            default -> { }
        }
        state = State.LINE_START;
    }

    private void step(byte c) throws IOException {
        switch (state) {
            case LINE_START -> lineStart(c);
            case NAME -> nameByte(c);
            case QUOTES -> {
                if (c == '>') {
                    quotes++;
                } else if (c == 'F') {
                    fromMatched = 1;
                    state = State.QUOTED_FROM;
                } else {
                    emitQuotes(quotes);
                    copy(c);
                }
            }
            case QUOTED_FROM -> {
                if (c == FROM[fromMatched]) {
                    if (++fromMatched == FROM.length) {
                        emitQuotes(writing ? quotes + 1 : quotes - 1);
                        emit(FROM, 0, FROM.length);
                        state = State.COPY;
                    }
                } else {
                    emitQuotes(quotes);
                    emit(FROM, 0, fromMatched);
                    copy(c);
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void lineStart(byte c) throws IOException {
        if (c == '>') {
            quotes = 1;
            state = State.QUOTES;
            if (inHeader) {
                endHeaderField();
            }
        } else if (!inHeader) {
            if (writing && c == 'F') {
                quotes = 0;
                fromMatched = 1;
                state = State.QUOTED_FROM;
            } else {
                copy(c);
            }
        } else if (c == ' ' || c == '\t') {
            if (hiddenHeader) {
                state = State.SKIP;
            } else {
                copy(c);
            }
        } else if (c == '\n') {
            copy(c);
            endHeader(); // the empty line that ends the header is part of the message
        } else {
            name[0] = c;
            nameLength = 1;
            state = State.NAME;
        }
    }

    /** Collects a header name up to its colon, then shows or hides the field. */
    private void nameByte(byte c) throws IOException {
        if (c == ':') {
            boolean wasContentLength = afterContentLength;
            var fieldName = new String(name, 0, nameLength, StandardCharsets.ISO_8859_1);
            hiddenHeader = isHidden(fieldName, wasContentLength);
            afterContentLength = fieldName.equalsIgnoreCase("content-length");
            if (hiddenHeader) {
                state = State.SKIP;
            } else {
                emit(name, 0, nameLength);
                copy(c);
            }
        } else if (c == '\n') {
            emit(name, 0, nameLength);
            copy(c);
            if (nameLength == 1 && name[0] == '\r') {
                endHeader(); // a CRLF empty line
            } else {
                endHeaderField();
            }
        } else if (writing && c == ' ' && nameLength == FROM.length - 1 && Arrays.equals(name, 0, nameLength,
                FROM, 0, nameLength)) {
            endHeaderField(); // "From " cannot start a field: a line to quote
            emitQuotes(1);
            emit(FROM, 0, FROM.length);
            state = State.COPY;
        } else if (nameLength == NAME_LOOKAHEAD) {
            endHeaderField();
            emit(name, 0, nameLength);
            copy(c);
        } else {
            name[nameLength++] = c;
        }
    }

    private void endHeader() {
        inHeader = false;
        headerLength = emitted;
    }

    /** A line that starts no hidden field: continuation lines after it are shown. */
    private void endHeaderField() {
        hiddenHeader = false;
        afterContentLength = false;
    }

    /** Shows {@code c} as part of a line being copied. */
    private void copy(byte c) throws IOException {
        if (c == '\n') {
            emit(LF, 0, 1);
            lineEnded(true);
        } else {
            single[0] = c;
            emit(single, 0, 1);
            state = State.COPY;
        }
    }

    private void lineEnded(boolean shown) {
        state = State.LINE_START;
        endsWithLineEnd = shown;
    }

    private void emitQuotes(long count) throws IOException {
        for (long k = 0; k < count; k++) {
            emit(QUOTE, 0, 1);
        }
    }

    private void emit(byte[] b, int offset, int length) throws IOException {
        if (length > 0) {
            sink.write(b, offset, length);
            emitted += length;
            endsWithLineEnd = false;
        }
    }

    /**
     * The first LF in {@code b[from, to)}, or -1. Every byte of an mbox goes through here at least
     * once, so it looks at eight bytes at a time: a byte of {@code word ^ LFS} is zero where an LF is,
     * and the lowest byte with its high bit set in {@code (x - ONES) & ~x & HIGHS} is the first zero
     * byte of {@code x} (a borrow can only mark bytes above a zero byte, never below one).
     */
    static int indexOfLf(byte[] b, int from, int to) {
        int i = from;
        for (; i <= to - Long.BYTES; i += Long.BYTES) {
            long x = (long) LONGS.get(b, i) ^ LFS;
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LFS = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
}
