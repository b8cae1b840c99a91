package org.roost.pop3;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The body of a multi-line POP3 response (RFC 1939 §3): a line that starts with "." gets another
 * "." in front, and {@link #finish()} ends the last line if needed and writes the terminating
 * ".CRLF". A line starts after each LF. Runs of bytes are written in bulk, not byte by byte.
 */
final class DotStuffingOutputStream extends FilterOutputStream {
    private boolean atLineStart = true;

    DotStuffingOutputStream(OutputStream out) {
        super(out);
    }

    @Override
    public void write(int b) throws IOException {
        if (atLineStart && b == '.') {
            out.write('.');
        }
        out.write(b);
        atLineStart = b == '\n';
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int runStart = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (atLineStart && b[i] == '.') {
                out.write(b, runStart, i - runStart);
                out.write('.');
                runStart = i;
            }
            atLineStart = b[i] == '\n';
        }
        out.write(b, runStart, end - runStart);
    }

    /** Ends the response: CRLF when the data did not end a line, then ".CRLF". Does not close the stream. */
    void finish() throws IOException {
        if (!atLineStart) {
            out.write('\r');
            out.write('\n');
        }
        out.write('.');
        out.write('\r');
        out.write('\n');
        atLineStart = true;
    }

    @Override
    public void close() {
        // the connection's stream outlives one response
    }
}
