package org.roost.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A message as an MTA pipes it to a delivery agent: possibly led by an mbox {@code From } line (Postfix's
 * {@code flags=F}, procmail), which is not part of the message and is dropped, and with the line ends of the
 * MTA's host (LF), which are kept: the store keeps messages as they come, and clients get CRLF on reading.
 */
final class MboxInput {
    private MboxInput() {}

    /**
     * Copies {@code in} to {@code out}, stopping once more than {@code maxSize} bytes came (the caller refuses
     * such a message by its size). Returns the line end the message uses ("\r\n" or "\n").
     */
    static String copy(InputStream in, OutputStream out, long maxSize) throws IOException {
        var buffer = new byte[64 * 1024];
        int n = in.readNBytes(buffer, 0, buffer.length);
        int start = 0;
        if (n >= 5 && new String(buffer, 0, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("From ")) {
            while (start < n && buffer[start] != '\n') {
                start++;
            }
            start = Math.min(n, start + 1);
        }
        var newline = newline(buffer, start, n);
        long written = 0;
        while (n > 0) {
            out.write(buffer, start, n - start);
            written += n - start;
            if (written > maxSize) {
                break;
            }
            start = 0;
            n = in.read(buffer);
        }
        return newline;
    }

    private static String newline(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                return i > from && bytes[i - 1] == '\r' ? "\r\n" : "\n";
            }
        }
        return "\r\n";
    }
}
