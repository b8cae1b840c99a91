package org.roost.mail.mime;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Serves a message with CRLF line ends: every bare LF becomes CRLF, an existing CRLF and a lone CR
 * stay as they are. IMAP sizes and section offsets are defined on this normalized form (Dovecot's
 * own Maildir files use bare LF, yet clients must see CRLF).
 */
public final class CrlfInputStream extends FilterInputStream {
    private boolean lastWasCr;
    private boolean pendingLf;
    private byte[] raw = new byte[0];

    public CrlfInputStream(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        if (pendingLf) {
            pendingLf = false;
            lastWasCr = false;
            return '\n';
        }
        int b = in.read();
        if (b == '\n' && !lastWasCr) {
            pendingLf = true;
            lastWasCr = true;
            return '\r';
        }
        lastWasCr = b == '\r';
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = 0;
        if (pendingLf) {
            pendingLf = false;
            lastWasCr = false;
            buf[off + n++] = '\n';
            if (n == len) {
                return n;
            }
        }
        int room = len - n;
        if (room == 1) {
            int b = read();
            if (b >= 0) {
                buf[off + n++] = (byte) b;
            }
            return n == 0 ? -1 : n;
        }
        // Read at most half the room so that every LF can grow into CRLF.
        int want = Math.min(room / 2, 64 * 1024);
        if (raw.length < want) {
            raw = new byte[Math.max(want, Math.min(2 * raw.length, 64 * 1024))];
        }
        int got = in.read(raw, 0, want);
        if (got < 0) {
            return n == 0 ? -1 : n;
        }
        for (int i = 0; i < got; i++) {
            byte b = raw[i];
            if (b == '\n' && !lastWasCr) {
                buf[off + n++] = '\r';
            }
            buf[off + n++] = b;
            lastWasCr = b == '\r';
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long done = 0;
        byte[] tmp = new byte[8192];
        while (done < n) {
            int r = read(tmp, 0, (int) Math.min(tmp.length, n - done));
            if (r < 0) {
                break;
            }
            done += r;
        }
        return done;
    }

    @Override
    public int available() throws IOException {
        return pendingLf ? 1 : 0;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: the LF expansion state cannot be rewound cheaply
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported");
    }
}
