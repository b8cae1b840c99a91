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

    private enum DataState { LINE_START, IN_LINE, CR, DOT, DOT_CR }

    /**
     * Reads DATA until a line holding only a dot, ended by CRLF on both sides: a bare LF never ends it, so no
     * message can smuggle a second one past another server (the 2023 "SMTP smuggling" attacks). A dot that
     * starts any other line is removed (RFC 5321 §4.5.2).
     */
    void data(MessageSink sink) throws IOException {
        var out = new byte[8 * 1024];
        int held = 0;
        var state = DataState.LINE_START;
        while (true) {
            fill();
            while (position < limit) {
                byte b = buffer[position++];
                if (held + 2 > out.length) {
                    sink.write(out, 0, held);
                    held = 0;
                }
                switch (state) {
                    case LINE_START, IN_LINE, CR -> {
                        if (state == DataState.LINE_START && b == '.') {
                            state = DataState.DOT;
                            continue;
                        }
                        out[held++] = b;
                        state = b == '\r' ? DataState.CR : b == '\n' && state == DataState.CR ? DataState.LINE_START
                                : DataState.IN_LINE;
                    }
                    case DOT -> {
                        if (b == '\r') {
                            state = DataState.DOT_CR;
                        } else {
                            out[held++] = b; // the stuffed dot is dropped
                            state = DataState.IN_LINE;
                        }
                    }
                    case DOT_CR -> {
                        if (b == '\n') {
                            sink.write(out, 0, held);
                            sink.finish();
                            return;
                        }
                        out[held++] = '\r';
                        out[held++] = b;
                        state = b == '\r' ? DataState.CR : DataState.IN_LINE;
                    }
                }
            }
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
