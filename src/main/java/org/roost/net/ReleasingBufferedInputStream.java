package org.roost.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;

/**
 * A buffered input stream whose buffer exists only while it holds unread bytes (or a mark). A
 * connection waiting for its client's next command (IDLE, a mail client between polls: most of
 * them, most of the time) then holds no input buffer: the wait is a one-byte read, and the buffer
 * is taken when that byte arrives and filled with what the socket already has, without waiting for
 * more. Reads at least as large as the buffer go straight through when nothing is buffered, as
 * with {@link java.io.BufferedInputStream}. Read by one thread at a time (the connection's own).
 */
final class ReleasingBufferedInputStream extends FilterInputStream {
    private final int size;
    /** Null while nothing is buffered and no mark is set. */
    private byte[] buffer;
    private int position;
    private int count;
    /** Where {@link #reset()} returns to, or -1; a mark keeps the buffer until its limit is read past. */
    private int markPosition = -1;
    private int markLimit;

    ReleasingBufferedInputStream(InputStream in, int size) {
        super(in);
        if (size < 1) {
            throw new IllegalArgumentException("buffer size " + size);
        }
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        if (position >= count && !fill()) {
            return -1;
        }
        int b = buffer[position++] & 0xff;
        releaseIfDrained();
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (position >= count) {
            if (len >= size && markPosition < 0) {
                return in.read(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(count - position, len);
        System.arraycopy(buffer, position, b, off, n);
        position += n;
        releaseIfDrained();
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (n <= 0) {
            return 0;
        }
        if (position >= count) {
            if (markPosition < 0) {
                return in.skip(n);
            }
            if (!fill()) {
                return 0;
            }
        }
        int skipped = (int) Math.min(count - position, n);
        position += skipped;
        releaseIfDrained();
        return skipped;
    }

    @Override
    public int available() throws IOException {
        int buffered = count - position;
        int below = in.available();
        return buffered > Integer.MAX_VALUE - below ? Integer.MAX_VALUE : buffered + below;
    }

    /** Marks for up to the buffer's size: a {@code readLimit} beyond it may lose the mark sooner. */
    @Override
    public void mark(int readLimit) {
        markLimit = readLimit;
        if (buffer != null && position > 0) {
            System.arraycopy(buffer, position, buffer, 0, count - position);
            count -= position;
            position = 0;
        }
        markPosition = position;
    }

    @Override
    public void reset() throws IOException {
        if (markPosition < 0) {
            throw new IOException("Resetting to an invalid mark");
        }
        position = markPosition;
    }

    @Override
    public boolean markSupported() {
        return true;
    }

    /** Takes the bytes buffered and not yet read (when the layer below changes), dropping any mark. */
    byte[] takeBuffered() {
        var rest = buffer == null ? new byte[0] : Arrays.copyOfRange(buffer, position, count);
        buffer = null;
        position = 0;
        count = 0;
        markPosition = -1;
        return rest;
    }

    /** Whether a buffer is held (for tests: an idle connection holds none). */
    boolean holdsBuffer() {
        return buffer != null;
    }

    /**
     * Reads at least one byte into the buffer (called when all buffered bytes were read). Unless
     * bytes read since a mark must be kept, the wait for the first byte holds no buffer; a mark
     * with nothing read since moves along to that byte.
     */
    private boolean fill() throws IOException {
        boolean marked = markPosition >= 0 && position - markPosition < markLimit;
        if (marked && count > markPosition && count < buffer.length) {
            return fillMarked();
        }
        boolean markMovesAlong = marked && count == markPosition;
        buffer = null;
        position = 0;
        count = 0;
        markPosition = markMovesAlong ? 0 : -1;
        int first = in.read();
        if (first < 0) {
            return false;
        }
        buffer = new byte[size];
        buffer[0] = (byte) first;
        count = 1;
        count += readReady(buffer, 1, size - 1);
        return true;
    }

    /** What the layer below has ready, without waiting for the client. */
    private int readReady(byte[] b, int off, int len) throws IOException {
        if (in instanceof ReadyInput ready) {
            return ready.readReady(b, off, len);
        }
        int n = Math.min(in.available(), len);
        return n > 0 ? Math.max(0, in.read(b, off, n)) : 0;
    }

    /** Appends to the bytes read since the mark, which stay for {@link #reset()}. */
    private boolean fillMarked() throws IOException {
        int n = in.read(buffer, count, buffer.length - count);
        if (n <= 0) {
            return false;
        }
        count += n;
        return true;
    }

    /** All read, and no mark that could still be reset to: the buffer goes. */
    private void releaseIfDrained() {
        if (position >= count && (markPosition < 0 || position - markPosition > markLimit)) {
            markPosition = -1;
            buffer = null;
            position = 0;
            count = 0;
        }
    }
}
