package org.roost.net;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.Deflater;

/**
 * The server's side of COMPRESS=DEFLATE (RFC 4978): responses compressed as raw DEFLATE (RFC 1951),
 * each flush a SYNC_FLUSH, so the client gets every response whole at once. A deflater costs about
 * 260 KiB of native memory, so one exists only while a response is written: each flush ends it.
 * Its successor starts from the last {@code history} bytes of the responses as a preset dictionary
 * (they are the last bytes the client inflated, so its window holds them), which keeps the
 * compression of the small responses most sessions exchange; an idle connection holds just those
 * bytes. Raw DEFLATE has no stream header, and a SYNC_FLUSH leaves the stream at a byte boundary, so
 * the blocks of one deflater after another's are one valid stream for the client.
 */
final class DeflatingOutput extends OutputStream {
    private static final int OUTPUT_CHUNK = 8 * 1024;
    private final OutputStream out;
    private final int level;
    private final ReentrantLock lock = new ReentrantLock();
    /** The last bytes written, the next deflater's dictionary (length 0: none kept). */
    private final byte[] history;
    private int historyLength;
    private Deflater deflater;
    private byte[] chunk;
    private boolean ended;

    /** {@code level}: 0-9 as zlib's; {@code history}: bytes kept between responses, 0 to 32 KiB. */
    DeflatingOutput(OutputStream out, int level, int history) {
        if (history < 0 || history > 32 * 1024) {
            throw new IllegalArgumentException("history " + history);
        }
        this.out = out;
        this.level = level;
        this.history = new byte[history];
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        lock.lock();
        try {
            var open = open();
            remember(b, off, len);
            open.setInput(b, off, len);
            while (!open.needsInput()) {
                send(open.deflate(chunk, 0, chunk.length, Deflater.NO_FLUSH));
            }
        } finally {
            lock.unlock();
        }
    }

    /** Sends everything written so far (SYNC_FLUSH) and lets the deflater go. */
    @Override
    public void flush() throws IOException {
        lock.lock();
        try {
            if (deflater != null) {
                int n;
                do {
                    n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
                    send(n);
                } while (n == chunk.length);
                endDeflater();
            }
            out.flush();
        } finally {
            lock.unlock();
        }
    }

    private Deflater open() throws IOException {
        if (ended) {
            throw new IOException("Connection closed");
        }
        if (deflater == null) {
            deflater = new Deflater(level, true);
            if (historyLength > 0) {
                deflater.setDictionary(history, 0, historyLength);
            }
            chunk = new byte[OUTPUT_CHUNK];
        }
        return deflater;
    }

    private void send(int n) throws IOException {
        if (n > 0) {
            out.write(chunk, 0, n);
        }
    }

    /** Keeps the last {@code history.length} bytes written. */
    private void remember(byte[] b, int off, int len) {
        int capacity = history.length;
        if (len >= capacity) {
            System.arraycopy(b, off + len - capacity, history, 0, capacity);
            historyLength = capacity;
            return;
        }
        int keep = Math.min(historyLength, capacity - len);
        System.arraycopy(history, historyLength - keep, history, 0, keep);
        System.arraycopy(b, off, history, keep, len);
        historyLength = keep + len;
    }

    private void endDeflater() {
        deflater.end();
        deflater = null;
        chunk = null;
    }

    /** Lets go of the deflater's native memory; a write after it fails. Safe from any thread, more than once. */
    void end() {
        lock.lock();
        try {
            if (!ended) {
                ended = true;
                if (deflater != null) {
                    endDeflater();
                }
            }
        } finally {
            lock.unlock();
        }
    }
}
