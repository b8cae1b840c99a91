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
 * DEFLATE stream may refer back), plus a buffer of compressed bytes of {@code size} that exists only
 * while the inflater has not taken them all. It inflates straight into its reader's buffer, so a
 * decompression bomb inflates a buffer at a time and the reader above meets its line and literal
 * limits on the inflated bytes. What is ready without waiting is {@link #readReady}: the layer above
 * never waits for the client's next command to hand over this one (a flush's empty stored block
 * inflates to nothing). Invalid input is a {@link CorruptCompression}; the end of the client's
 * DEFLATE stream (a final block) is the end of its input.
 */
final class InflatingInput extends InputStream implements ReadyInput {
    private static final byte[] NOTHING = new byte[0];
    private final InputStream compressed;
    private final int size;
    private final Inflater inflater = new Inflater(true);
    /** Held while inflating: {@link #end()} from another thread waits for the read in progress. */
    private final ReentrantLock lock = new ReentrantLock();
    /** The compressed bytes the inflater reads; null once it has taken them all. */
    private byte[] input;
    private int inputLength;
    private boolean ended;

    InflatingInput(InputStream compressed, int size) {
        this.compressed = compressed;
        this.size = size;
    }

    @Override
    public int read() throws IOException {
        var one = new byte[1];
        return inflate(one, 0, 1, true) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : inflate(b, off, len, true);
    }

    /** What inflates from the bytes the client has sent, without waiting for more. */
    @Override
    public int readReady(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        return len == 0 ? 0 : Math.max(0, inflate(b, off, len, false));
    }

    /**
     * Inflates at least one byte into {@code b}, waiting for the client's input if need be and {@code wait} says
     * so (else 0 when none is ready); -1 at the end.
     */
    private int inflate(byte[] b, int off, int len, boolean wait) throws IOException {
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
                if (!wait && compressed.available() <= 0) {
                    return 0;
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
        }
    }
}
