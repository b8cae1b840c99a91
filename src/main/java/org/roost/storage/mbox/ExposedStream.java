package org.roost.storage.mbox;

import java.io.IOException;
import java.util.Arrays;

/**
 * A message as clients see it ({@link Exposure}), read from the mbox a piece at a time, each piece
 * under the file's read locks only while it is read, so that a slow client never keeps other
 * programs (or this server's writers) from the file. When the message moved or its header changed
 * between two pieces (an expunge before it, a flag change), the stream finds it again by its UID and
 * goes on where it was; when it is gone, reading fails with {@link org.roost.mail.MessageNotFoundException}.
 * A stream of the header alone ends with the empty line that ends the header: its reader (ENVELOPE,
 * SORT) costs no body bytes read, unquoted and copied.
 */
final class ExposedStream extends BulkInputStream {

    /** The raw bytes read per piece. */
    static final int PIECE = 64 * 1024;

    /** Where the bytes come from: the mailbox, which knows where the message is now. */
    interface Source {
        /** Reads the next piece for {@code stream}; see {@link ExposedStream#next}. */
        void readPiece(ExposedStream stream) throws IOException;
    }

    private final Source source;
    final long uid;
    private final boolean headerOnly;
    private byte[] out = new byte[PIECE];
    private int outStart;
    private int outEnd;
    /** Exposed bytes handed out so far. */
    private long delivered;
    private Exposure exposure;
    /** The message as last located, and the next raw byte of it to read. */
    private Scanner.Found found;
    private long raw;
    /** Exposed bytes to drop after starting over (those handed out before). */
    private long skip;
    private boolean ended;

    /** The message with {@code uid}, whole, or its header alone. */
    ExposedStream(Source source, long uid, boolean headerOnly) {
        this.source = source;
        this.uid = uid;
        this.headerOnly = headerOnly;
    }

    /**
     * Called by the source, under the read locks, with where the message is now: starts over when it
     * is not where it was, then returns the raw range to read next (or null at its end).
     */
    long[] next(Scanner.Found now) {
        if (found == null || !found.samePlace(now)) {
            found = now;
            raw = now.headerStart();
            skip = delivered + (outEnd - outStart);
            exposure = new Exposure(this::take);
        }
        long end = end(now);
        return raw >= end ? null : new long[] {raw, Math.min(end, raw + PIECE)};
    }

    /** Where the bytes to read end: the content's end, or the end of the header's empty line. */
    private long end(Scanner.Found found) {
        return headerOnly ? Math.min(found.bodyStart(), found.contentEnd()) : found.contentEnd();
    }

    /** The source read {@code length} raw bytes of the range {@link #next} gave. */
    void consumed(byte[] bytes, int length) throws IOException {
        exposure.feed(bytes, 0, length);
        raw += length;
        if (raw >= end(found)) {
            finished();
        }
    }

    /** The message ended. */
    void finished() throws IOException {
        exposure.finish();
        ended = true;
    }

    private void take(byte[] b, int offset, int length) {
        int from = offset;
        int count = length;
        if (skip > 0) {
            int dropped = (int) Math.min(skip, count);
            skip -= dropped;
            from += dropped;
            count -= dropped;
        }
        if (count == 0) {
            return;
        }
        if (outEnd + count > out.length) {
            System.arraycopy(out, outStart, out, 0, outEnd - outStart);
            outEnd -= outStart;
            outStart = 0;
            if (outEnd + count > out.length) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, outEnd + count));
            }
        }
        System.arraycopy(b, from, out, outEnd, count);
        outEnd += count;
    }

    @Override
    public int read(byte[] b, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (outStart == outEnd) {
            if (ended) {
                return -1;
            }
            source.readPiece(this);
        }
        int n = Math.min(length, outEnd - outStart);
        System.arraycopy(out, outStart, b, offset, n);
        outStart += n;
        delivered += n;
        return n;
    }
}
