package org.roost.net;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The client's side of COMPRESS=DEFLATE (RFC 4978): raw DEFLATE (RFC 1951) inflated as it is read.
 * Memory is bounded whatever the client sends: the inflater's own state and 32 KiB window (the most a
 * DEFLATE stream may refer back), plus two buffers of {@code size} bytes that exist only while they
 * hold unread bytes, as in {@link ReleasingBufferedInputStream}. A decompression bomb inflates into
 * those buffers a piece at a time, so the reader above meets its line and literal limits on the
 * inflated bytes. {@link #available()} counts only bytes already inflated: the layer above never
 * blocks on a read it was told would not block. Invalid input is a {@link CorruptCompression}; the
 * end of the client's DEFLATE stream (a final block) is the end of its input.
 */
final class InflatingInput extends InputStream {
    private static final byte[] NOTHING = new byte[0];
    private final InputStream compressed;
    private final int size;
    private final Inflater inflater = new Inflater(true);
    /** Held while inflating: {@link #end()} from another thread waits for the read in progress. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The compressed bytes the inflater reads; null once it has taken them all. */
    private byte[] input;
    private int inputLength;
    private byte[] inflated;
    private int position;
    private int count;
    private boolean ended;

    InflatingInput(InputStream compressed, int size) {
        this.compressed = compressed;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        if (position >= count && !fill()) {
            return -1;
        }
        int b = inflated[position++] & 0xff;
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
            if (len >= size) {
                return inflate(b, off, len);
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(count - position, len);
        System.arraycopy(inflated, position, b, off, n);
        position += n;
        releaseIfDrained();
        return n;
    }

    /** The bytes inflated and not yet read: what can be read without waiting for the client. */
    @Override
    public int available() {
        return count - position;
    }

    private boolean fill() throws IOException {
        var buffer = new byte[size];
        int n = inflate(buffer, 0, size);
        if (n < 0) {
            return false;
        }
        inflated = buffer;
        position = 0;
        count = n;
        return true;
    }

    private void releaseIfDrained() {
        if (position >= count) {
            inflated = null;
            position = 0;
            count = 0;
        }
    }

    /** Inflates at least one byte into {@code b}, waiting for the client's input if need be; -1 at the end. */
    private int inflate(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            while (true) {
                if (ended) {
                    throw new IOException("Connection closed");
                }
                int n = inflater.inflate(b, off, len);
                if (n > 0) {
                    return n;
                }
                if (inflater.finished()) {
                    return -1;
                }
                if (inflater.needsDictionary()) {
                    throw new CorruptCompression("DEFLATE data asks for a preset dictionary");
                }
                if (!takeInput()) {
                    return -1;
                }
            }
        } catch (DataFormatException e) {
            throw new CorruptCompression("Invalid DEFLATE data: " + e.getMessage());
        } finally {
            lock.unlock();
        }
    }

    /** Waits for compressed bytes without holding a buffer, then takes what the client has sent. */
    private boolean takeInput() throws IOException {
        input = null;
        inflater.setInput(NOTHING);
        int first = compressed.read();
        if (first < 0) {
            return false;
        }
        var bytes = new byte[size];
        bytes[0] = (byte) first;
        int n = 1;
        int ready = Math.min(compressed.available(), size - 1);
        if (ready > 0) {
            n += Math.max(0, compressed.read(bytes, 1, ready));
        }
        input = bytes;
        inputLength = n;
        inflater.setInput(bytes, 0, n);
        return true;
    }

    /**
     * Ends compression at a point the client chose (UNAUTHENTICATE, RFC 8437 §4.1): the bytes it sent
     * after the end of its DEFLATE stream (a final block) are plain input, returned for the next layer;
     * the empty stored block of a last flush is taken as DEFLATE, anything else after it is corrupt.
     */
    byte[] finish() throws IOException {
        lock.lock();
        try {
            if (position < count) {
                throw new CorruptCompression("Compressed input after the end of compression");
            }
            var rest = new byte[1];
            while (!inflater.finished() && inflater.getRemaining() > 0) {
                try {
                    if (inflater.inflate(rest) > 0) {
                        throw new CorruptCompression("Compressed input after the end of compression");
                    }
                } catch (DataFormatException e) {
                    throw new CorruptCompression("Invalid DEFLATE data: " + e.getMessage());
                }
                if (inflater.needsInput() || inflater.needsDictionary()) {
                    break;
                }
            }
            int remaining = inflater.getRemaining();
            byte[] plain = inflater.finished() && remaining > 0 && input != null
                    ? Arrays.copyOfRange(input, inputLength - remaining, inputLength)
                    : NOTHING;
            endInflater();
            return plain;
        } finally {
            lock.unlock();
        }
    }

    /** Lets go of the inflater's native memory; a read after it fails. Safe from any thread, more than once. */
    void end() {
        lock.lock();
        try {
            endInflater();
        } finally {
            lock.unlock();
        }
    }

    private void endInflater() {
        if (!ended) {
            ended = true;
            inflater.end();
            input = null;
            inflated = null;
        }
    }
}
