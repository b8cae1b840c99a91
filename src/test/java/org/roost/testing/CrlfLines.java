package org.roost.testing;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** How byte-exact test clients read a server's lines: each must end in CRLF, a bare LF is an error. */
public final class CrlfLines {
    private CrlfLines() {}

    /** One line without its CRLF, as UTF-8; fails on a bare LF or the end of the stream. */
    public static String read(InputStream in) throws IOException {
        var bytes = new ByteArrayOutputStream();
        int prev = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("server closed the connection after " + bytes);
            }
            if (b == '\n') {
                if (prev != '\r') {
                    throw new IOException("bare LF from server after " + bytes);
                }
                var raw = bytes.toByteArray();
                return new String(raw, 0, raw.length - 1, StandardCharsets.UTF_8);
            }
            bytes.write(b);
            prev = b;
        }
    }
}
