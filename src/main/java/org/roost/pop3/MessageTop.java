package org.roost.pop3;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Copies what TOP sends (RFC 1939 §7): the header, the blank line after it, and at most
 * {@code bodyLines} lines of the body, streaming. A message without a blank line is all header.
 */
final class MessageTop {
    private static final int CHUNK = 16 * 1024;

    private MessageTop() {}

    static void copy(InputStream message, OutputStream out, long bodyLines) throws IOException {
        var buffer = new byte[CHUNK];
        boolean inHeader = true;
        boolean lineEmpty = true;
        long linesLeft = bodyLines;
        int n;
        while ((n = message.read(buffer)) > 0) {
            int cut = -1;
            for (int i = 0; i < n && cut < 0; i++) {
                byte b = buffer[i];
                if (b != '\n') {
                    if (b != '\r') {
                        lineEmpty = false;
                    }
                    continue;
                }
                if (inHeader) {
                    if (lineEmpty) {
                        inHeader = false;
                        if (linesLeft == 0) {
                            cut = i + 1;
                        }
                    }
                } else if (--linesLeft == 0) {
                    cut = i + 1;
                }
                lineEmpty = true;
            }
            out.write(buffer, 0, cut < 0 ? n : cut);
            if (cut >= 0) {
                return;
            }
        }
    }
}
