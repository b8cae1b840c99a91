package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * A content-transfer decoder over a stream, in bounded memory: encoded bytes are read in chunks of the
 * buffer size ({@code imap.binary.decodeBuffer}) into {@link #raw}, and {@link #decode} turns what it can of them
 * into decoded bytes. A 50 MB attachment costs two such buffers (64 KiB each by default), never its size.
 */
abstract sealed class DecodingInputStream extends InputStream permits Base64DecodingInputStream,
        QuotedPrintableDecodingInputStream {
    private final InputStream source;
    /** Encoded bytes; {@link #rawStart} to {@link #rawEnd} are not decoded yet. */
    final byte[] raw;
    int rawStart;
    int rawEnd;
    private boolean sourceEnded;
    private final byte[] decoded;
    private int position;
    private int limit;

    DecodingInputStream(InputStream source, int bufferSize) {
        this.source = source;
        this.raw = new byte[bufferSize];
        this.decoded = new byte[bufferSize];
    }

    /**
     * Decodes from {@code raw[rawStart, rawEnd)} into {@code out} (as large as {@link #raw}), advancing
     * {@link #rawStart} past what it used, and returns how many bytes it wrote. It may leave a tail it
     * cannot decode yet (half a line, say), but not a full buffer, and nothing once {@code sourceEnded}.
     */
    abstract int decode(byte[] out, boolean sourceEnded);

    @Override
    public int read() throws IOException {
        return fill() ? decoded[position++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, limit - position);
        System.arraycopy(decoded, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0;
        while (skipped < n && fill()) {
            int step = (int) Math.min(n - skipped, limit - position);
            position += step;
            skipped += step;
        }
        return skipped;
    }

    @Override
    public int available() {
        return limit - position;
    }

    /** False at the end of the decoded data; otherwise some decoded bytes are ready. */
    private boolean fill() throws IOException {
        while (position == limit) {
            position = 0;
            limit = decode(decoded, sourceEnded);
            if (limit == 0) {
                if (sourceEnded) {
                    return false;
                }
                refill();
            }
        }
        return true;
    }

    private void refill() throws IOException {
        int left = rawEnd - rawStart;
        System.arraycopy(raw, rawStart, raw, 0, left);
        rawStart = 0;
        rawEnd = left;
        int n = source.read(raw, rawEnd, raw.length - rawEnd);
        if (n < 0) {
            sourceEnded = true;
        } else {
            rawEnd += n;
        }
    }

    @Override
    public void close() throws IOException {
        source.close();
    }
}
