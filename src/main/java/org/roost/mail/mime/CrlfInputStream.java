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
    private static final int MAX_RAW = 64 * 1024;
    /** What a one-byte read reads ahead: the stream below is this one's alone. */
    private static final int SMALL_READ = 8 * 1024;
    private boolean lastWasCr;
    private boolean pendingLf;
    /**
     * Bytes read from below, not yet served ({@code rawPos} to {@code rawLen}): each read below asks for as
     * much as the caller does, and what does not fit once LFs have grown into CRLFs waits here. (Asking
     * below for half, so that every LF could grow, made a caller that reads exactly the rest of a message
     * cost a read for every halving of it, down to single bytes.)
     */
    private byte[] raw = new byte[0];
    private int rawPos;
    private int rawLen;

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
        if (rawPos == rawLen && !fill(SMALL_READ)) {
            return -1;
        }
        int b = raw[rawPos++] & 0xff;
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
        if (rawPos == rawLen && !fill(len - n)) {
            return n == 0 ? -1 : n;
        }
        while (n < len && rawPos < rawLen) {
            byte b = raw[rawPos++];
            if (b == '\n' && !lastWasCr) {
                buf[off + n++] = '\r';
                if (n == len) {
                    pendingLf = true;
                    lastWasCr = true;
                    return n;
                }
            }
            buf[off + n++] = b;
            lastWasCr = b == '\r';
        }
        return n;
    }

    /** Reads up to {@code want} bytes from below into the emptied raw buffer; false at the end of input. */
    private boolean fill(int want) throws IOException {
        int size = Math.min(Math.max(want, 1), MAX_RAW);
        if (raw.length < size) {
            raw = new byte[Math.max(size, Math.min(2 * raw.length, MAX_RAW))];
        }
        int got = in.read(raw, 0, size);
        rawPos = 0;
        rawLen = Math.max(got, 0);
        return got > 0;
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
        return (pendingLf ? 1 : 0) + rawLen - rawPos;
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
