package org.roost.imap.protocol.response;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Gathers response bytes in one array and hands them on in large writes. Responses of a line per
 * message (FETCH or SEARCH over a million messages) are formatted straight into it, numbers
 * included, instead of going through a String and a small write per item.
 * {@link #drain()} passes the bytes on without flushing the connection; {@link #flush()} does both.
 */
public final class ResponseBuffer extends OutputStream {
    /** Enough for most commands' responses; a response that outgrows it doubles it, up to {@link #CAPACITY}. */
    private static final int FIRST_CAPACITY = 2 * 1024;
    private static final int CAPACITY = 64 * 1024;
    private static final byte[] CRLF = {'\r', '\n'};
    private final OutputStream out;
    private byte[] buffer = new byte[FIRST_CAPACITY];
    private int length;

    public ResponseBuffer(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        room(1);
        buffer[length++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (len >= CAPACITY) {
            drain();
            out.write(b, off, len); // a large literal goes on as it is
            return;
        }
        room(len);
        System.arraycopy(b, off, buffer, length, len);
        length += len;
    }

    /**
     * Room for {@code n} more bytes ({@code n <= CAPACITY}): an overflow doubles the array (a message of a
     * few kB needs no 64 kB) until it reaches {@link #CAPACITY}, later ones drain it.
     */
    private void room(int n) throws IOException {
        if (n <= buffer.length - length) {
            return;
        }
        if (buffer.length < CAPACITY) {
            buffer = Arrays.copyOf(buffer, Math.min(CAPACITY, Math.max(2 * buffer.length, length + n)));
            if (n <= buffer.length - length) {
                return;
            }
        }
        drain();
    }

    /** {@code text} as US-ASCII (as {@link ImapWriter#ascii} encodes it). */
    public ResponseBuffer ascii(String text) throws IOException {
        write(text.getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    public ResponseBuffer bytes(byte[] data) throws IOException {
        write(data, 0, data.length);
        return this;
    }

    /** A number in decimal ASCII, as {@link Long#toString(long)} writes it (two digits a step: a FETCH line has two). */
    public ResponseBuffer number(long value) throws IOException {
        if (value < 0) {
            return ascii(Long.toString(value));
        }
        int digits = digits(value);
        room(digits);
        int at = length + digits;
        long rest = value;
        while (rest >= 100) {
            int pair = (int) (rest % 100);
            rest /= 100;
            buffer[--at] = (byte) ('0' + pair % 10);
            buffer[--at] = (byte) ('0' + pair / 10);
        }
        if (rest >= 10) {
            buffer[--at] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        buffer[--at] = (byte) ('0' + rest);
        length += digits;
        return this;
    }

    private static int digits(long value) {
        int digits = 1;
        for (long power = 10; digits < 19 && value >= power; power *= 10) {
            digits++;
        }
        return digits;
    }

    public ResponseBuffer endLine() throws IOException {
        return bytes(CRLF);
    }

    /** Passes the gathered bytes on, without flushing the stream beneath. */
    public void drain() throws IOException {
        if (length > 0) {
            out.write(buffer, 0, length);
            length = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        drain();
        out.flush();
    }
}
