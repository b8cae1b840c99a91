package org.roost.lmtp;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads what an LMTP client sends: command lines (bounded), DATA up to the {@code CRLF.CRLF} that ends it
 * (RFC 5321 §4.1.1.4, dot-unstuffed as §4.5.2 says), and BDAT chunks of a given size (RFC 3030). It keeps its
 * own buffer and is the only reader of the connection, so that bytes a client pipelined after a command stay
 * for the next one; after STARTTLS a new reader is made and whatever the old one held is discarded.
 */
final class LmtpReader {
    private final InputStream in;
    private final int maxLineLength;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;

    /** The line passed the bound; the rest of it is still unread (see {@link #skipLine}). */
    static final class LineTooLong extends IOException {
        LineTooLong() {
            super("line too long", null);
        }
    }

    LmtpReader(InputStream in, int maxLineLength) {
        this.in = in;
        this.maxLineLength = maxLineLength;
    }

    /** The next command line without its line end (CRLF, or LF alone, as SMTP servers accept), as UTF-8. */
    String line() throws IOException {
        var line = new java.io.ByteArrayOutputStream(128);
        while (true) {
            fill();
            int start = position;
            while (position < limit && buffer[position] != '\n') {
                position++;
            }
            line.write(buffer, start, position - start);
            if (line.size() > maxLineLength) {
                throw new LineTooLong();
            }
            if (position < limit) {
                position++; // the LF
                var bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
        }
    }

    /** Discards through the next LF, reading at most {@code bound} bytes; false when no LF came within it. */
    boolean skipLine(long bound) throws IOException {
        for (long skipped = 0; skipped < bound; ) {
            fill();
            while (position < limit && skipped < bound) {
                skipped++;
                if (buffer[position++] == '\n') {
                    return true;
                }
            }
        }
        return false;
    }

    private enum DataState { LINE_START, IN_LINE, DOT, DOT_CR }

    private static final byte[] CR = {'\r'};

    /**
     * Reads DATA until a line holding only a dot, ended by CRLF on both sides: a bare LF never ends it, so no
     * message can smuggle a second one past another server (the 2023 "SMTP smuggling" attacks). A dot that
     * starts any other line is removed (RFC 5321 §4.5.2). Runs of bytes go to {@code sink} straight from the
     * receive buffer; only line starts are looked at byte by byte, the rest is searched for the next LF.
     */
    void data(MessageSink sink) throws IOException {
        var state = DataState.LINE_START;
        byte beforeBuffer = '\n'; // the byte before the buffer's first: the DATA line's end at first
        while (true) {
            fill();
            int run = position; // the start of the bytes passed on as they came
            while (position < limit) {
                switch (state) {
                    case LINE_START -> {
                        if (buffer[position] == '.') {
                            sink.write(buffer, run, position - run);
                            run = ++position; // a stuffed dot, or the end's: never passed on
                            state = DataState.DOT;
                        } else {
                            state = DataState.IN_LINE;
                        }
                    }
                    case IN_LINE -> {
                        int lf = WordScan.indexOfLineFeed(buffer, position, limit);
                        if (lf < 0) {
                            position = limit;
                        } else {
                            byte before = lf > 0 ? buffer[lf - 1] : beforeBuffer;
                            state = before == '\r' ? DataState.LINE_START : DataState.IN_LINE;
                            position = lf + 1;
                        }
                    }
                    case DOT -> {
                        if (buffer[position] == '\r') {
                            run = ++position; // held back: the end, if an LF follows
                            state = DataState.DOT_CR;
                        } else {
                            state = DataState.IN_LINE;
                        }
                    }
                    case DOT_CR -> {
                        if (buffer[position] == '\n') {
                            position++;
                            sink.finish();
                            return;
                        }
                        sink.write(CR, 0, 1);
                        state = DataState.IN_LINE;
                    }
                }
            }
            sink.write(buffer, run, position - run);
            beforeBuffer = buffer[limit - 1];
        }
    }

    /** Reads a BDAT chunk of exactly {@code size} bytes into {@code sink} (null: read and dropped). */
    void chunk(long size, MessageSink sink) throws IOException {
        long remaining = size;
        while (remaining > 0) {
            fill();
            int n = (int) Math.min(remaining, limit - position);
            if (sink != null) {
                sink.write(buffer, position, n);
            }
            position += n;
            remaining -= n;
        }
    }

    /** True when the client has sent more already (pipelining): replies need not be flushed yet. */
    boolean hasBufferedInput() throws IOException {
        return position < limit || in.available() > 0;
    }

    private void fill() throws IOException {
        if (position < limit) {
            return;
        }
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            throw new EOFException("client closed the connection");
        }
        position = 0;
        limit = n;
    }
}
