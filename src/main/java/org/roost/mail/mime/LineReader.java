package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a message line by line without holding whole lines: only the first {@code keep} bytes of
 * each line are stored, the rest is counted. Tracks byte offsets and LF counts for IMAP sizes.
 */
final class LineReader {
    private final InputStream in;
    /** What a whole message is read in: a few syscalls per message (64 kB was allocated for every message parsed). */
    static final int MESSAGE_BUFFER = 16 * 1024;
    private final byte[] buf;
    private int bufPos;
    private int bufLen;
    private boolean eof;

    private long offset;
    private long lfCount;
    private int lastTerminator;

    // the current line
    long start;
    long length;
    long lfBefore;
    int prevTerminator;
    int terminator;
    byte[] kept = new byte[1024];
    int keptLen;

    LineReader(InputStream in) {
        this(in, MESSAGE_BUFFER);
    }

    /** {@code bufferSize}: what is read at once (a header read alone needs a few KiB, not a whole message's 64). */
    LineReader(InputStream in, int bufferSize) {
        this.in = in;
        this.buf = new byte[bufferSize];
    }

    long offset() {
        return offset;
    }

    long lfCount() {
        return lfCount;
    }

    /** Reads the next line keeping at most {@code keep} bytes; false at end of input. */
    boolean next(int keep) throws IOException {
        start = offset;
        lfBefore = lfCount;
        prevTerminator = lastTerminator;
        length = 0;
        keptLen = 0;
        terminator = 0;
        boolean lastCr = false;
        for (;;) {
            if (bufPos == bufLen && !fill()) {
                break;
            }
            int i = bufPos;
            int lf = -1;
            for (; i < bufLen; i++) {
                if (buf[i] == '\n') {
                    lf = i;
                    break;
                }
            }
            int chunkEnd = lf >= 0 ? lf + 1 : bufLen;
            int n = chunkEnd - bufPos;
            int copy = Math.min(n, keep - keptLen);
            if (copy > 0) {
                if (kept.length < keptLen + copy) {
                    // grown as the line's bytes come, not to {@code keep} (a header's 64 KiB, for every message)
                    kept = Arrays.copyOf(kept, Math.max(keptLen + copy, kept.length * 2));
                }
                System.arraycopy(buf, bufPos, kept, keptLen, copy);
                keptLen += copy;
            }
            if (lf >= 0) {
                boolean cr = lf > bufPos ? buf[lf - 1] == '\r' : lastCr && length > 0;
                terminator = cr ? 2 : 1;
            } else if (n > 0) {
                lastCr = buf[bufLen - 1] == '\r';
            }
            length += n;
            bufPos = chunkEnd;
            if (lf >= 0) {
                break;
            }
        }
        offset += length;
        if (terminator > 0) {
            lfCount++;
        }
        lastTerminator = terminator;
        return length > 0;
    }

    /** True when the current line is empty apart from its line end. */
    boolean isBlank() {
        return terminator > 0 && length == terminator;
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            eof = n < 0;
            bufPos = 0;
            bufLen = 0;
            return !eof && fill();
        }
        bufPos = 0;
        bufLen = n;
        return true;
    }
}
