package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * A forward-only window over part of a file, read in large blocks with positional reads (so that
 * other readers of the same channel are not disturbed). The bytes between {@link #pos()} and
 * {@link #limit()} of {@link #buffer()} are the file's bytes from {@link #offset()} on.
 */
final class ByteWindow {
    private final FileChannel channel;
    private final long end;
    private final byte[] buffer;
    private long bufferStart;
    private int pos;
    private int limit;

    ByteWindow(FileChannel channel, long start, long end, int size) {
        this.channel = channel;
        this.end = end;
        this.buffer = new byte[size];
        this.bufferStart = start;
    }

    byte[] buffer() {
        return buffer;
    }

    int pos() {
        return pos;
    }

    int limit() {
        return limit;
    }

    /** The file offset of {@link #pos()}. */
    long offset() {
        return bufferStart + pos;
    }

    long end() {
        return end;
    }

    boolean atEnd() {
        return offset() >= end;
    }

    /** Moves the cursor {@code n} bytes on (within the buffered bytes). */
    void advance(int n) {
        pos += n;
    }

    /** Moves the cursor to {@code offset} (forward), dropping what lies before. */
    void seek(long offset) {
        if (offset >= bufferStart && offset <= bufferStart + limit) {
            pos = (int) (offset - bufferStart);
        } else {
            bufferStart = offset;
            pos = 0;
            limit = 0;
        }
    }

    /**
     * Makes at least {@code n} bytes (at most the buffer's size) available from the cursor, fewer only
     * where the range ends; returns how many are available.
     */
    int fill(int n) throws IOException {
        int want = Math.min(n, buffer.length);
        if (limit - pos >= want) {
            return limit - pos;
        }
        if (pos > 0) {
            System.arraycopy(buffer, pos, buffer, 0, limit - pos);
            bufferStart += pos;
            limit -= pos;
            pos = 0;
        }
        while (limit < want && bufferStart + limit < end) {
            int room = (int) Math.min(buffer.length - limit, end - (bufferStart + limit));
            int read = channel.read(ByteBuffer.wrap(buffer, limit, room), bufferStart + limit);
            if (read < 0) {
                break; // the file shrank under us: the range ends early
            }
            limit += read;
        }
        return limit - pos;
    }
}
