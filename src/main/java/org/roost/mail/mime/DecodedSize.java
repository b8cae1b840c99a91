package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;

/**
 * What a FETCH BINARY[section] (RFC 3516 §4.3) must know before its first byte goes out: the decoded
 * length, which its literal announces, and whether a NUL is among the bytes, which makes it a literal8.
 */
public record DecodedSize(long length, boolean hasNul) {
    private static final int BUFFER = 64 * 1024;

    /** Measures {@code decoded} to its end; {@code eachBuffer} runs before each read (to stop long work). */
    public static DecodedSize measure(InputStream decoded, Runnable eachBuffer) throws IOException {
        long length = 0;
        boolean nul = false;
        var buffer = new byte[BUFFER];
        for (int n; (n = decoded.read(buffer)) > 0; ) {
            eachBuffer.run();
            length += n;
            nul = nul || contains(buffer, n, (byte) 0);
        }
        return new DecodedSize(length, nul);
    }

    private static boolean contains(byte[] buffer, int length, byte b) {
        for (int i = 0; i < length; i++) {
            if (buffer[i] == b) {
                return true;
            }
        }
        return false;
    }
}
