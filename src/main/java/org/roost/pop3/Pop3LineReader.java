package org.roost.pop3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads CRLF-terminated lines (a bare LF is accepted too) with a hard length bound. A line that
 * passes the bound is not buffered: the caller learns of it and may skip the rest.
 */
final class Pop3LineReader {
    private final InputStream in;
    private final int maxLength;
    private final byte[] buffer;

    /** Thrown when a line exceeds the bound; the rest of the line is still unread. */
    static final class LineTooLongException extends IOException {
        LineTooLongException() {
            super("line too long", null);
        }
    }

    Pop3LineReader(InputStream in, int maxLength) {
        this.in = in;
        this.maxLength = maxLength;
        this.buffer = new byte[maxLength];
    }

    /** The next line without its line end, decoded as UTF-8. */
    String line() throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client closed the connection");
            }
            if (b == '\n') {
                if (n > 0 && buffer[n - 1] == '\r') {
                    n--;
                }
                return new String(buffer, 0, n, StandardCharsets.UTF_8);
            }
            if (n == maxLength) {
                throw new LineTooLongException();
            }
            buffer[n++] = (byte) b;
        }
    }

    /** Discards up to {@code limit} bytes through the next LF; false when no LF came within the limit. */
    boolean skipLine(long limit) throws IOException {
        for (long i = 0; i < limit; i++) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("client closed the connection");
            }
            if (b == '\n') {
                return true;
            }
        }
        return false;
    }

    /** True when the client has already sent more (pipelining): the answer need not be flushed yet. */
    boolean hasBufferedInput() throws IOException {
        return in.available() > 0;
    }
}
