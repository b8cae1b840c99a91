package org.roost.net;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A buffered output stream whose buffer exists only between the first write of a response and
 * its flush. An idle connection (most of them, most of the time: IDLE, a mail client between
 * polls) then holds no output buffer at all; a busy one allocates it once per response, as small
 * as the response allows: it starts at {@link #FIRST_SIZE} (most responses are a line or two) and
 * doubles up to the full size. Writes at least as large as the buffer go
 * straight through, as with {@link java.io.BufferedOutputStream}. Like it, safe to share between
 * threads (a shutdown's BYE may come from another thread than the session's).
 */
final class ReleasingBufferedOutputStream extends FilterOutputStream {
    private static final int FIRST_SIZE = 512;
    private final int size;
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] buffer;
    private int count;

    ReleasingBufferedOutputStream(OutputStream out, int size) {
        super(out);
        this.size = size;
    }

    @Override
    public void write(int b) throws IOException {
        lock.lock();
        try {
            room(1);
            buffer[count++] = (byte) b;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            if (len >= size) {
                drain();
                out.write(b, off, len);
                return;
            }
            room(len);
            System.arraycopy(b, off, buffer, count, len);
            count += len;
        } finally {
            lock.unlock();
        }
    }

    /** Room for {@code len} more bytes ({@code len < size}): a buffer taken, grown, or drained. */
    private void room(int len) throws IOException {
        if (buffer == null) {
            buffer = new byte[Math.min(size, Math.max(FIRST_SIZE, 2 * len))];
        } else if (len > buffer.length - count) {
            if (buffer.length < size) {
                buffer = Arrays.copyOf(buffer, Math.min(size, Math.max(2 * buffer.length, count + len)));
            }
            if (len > buffer.length - count) {
                drain();
            }
        }
    }

    private void drain() throws IOException {
        if (count > 0) {
            out.write(buffer, 0, count);
            count = 0;
        }
    }

    /** Whether a buffer is held (for tests: an idle connection holds none). */
    boolean holdsBuffer() {
        lock.lock();
        try {
            return buffer != null;
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is buffered, lets the buffer go, and flushes the stream below. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            drain();
            buffer = null;
            out.flush();
        } finally {
            lock.unlock();
        }
    }
}
