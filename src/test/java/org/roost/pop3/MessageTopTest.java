package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageTopTest {
    static String top(String message, long lines, int maxRead) throws IOException {
        InputStream in = new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII));
        if (maxRead > 0) {
            in = new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, maxRead));
                }
            };
        }
        var out = new ByteArrayOutputStream();
        MessageTop.copy(in, out, lines);
        return out.toString(StandardCharsets.US_ASCII);
    }

    /** The obvious line-by-line definition, to compare the streaming one with. */
    static String reference(String message, long lines) {
        var parts = message.split("(?<=\n)");
        var out = new StringBuilder();
        boolean header = true;
        long left = lines;
        for (var line : parts) {
            if (header) {
                out.append(line);
                header = !line.equals("\r\n");
            } else if (left-- > 0) {
                out.append(line);
            }
        }
        return out.toString();
    }

    @Test
    void examples() throws IOException {
        var m = "A: 1\r\nB: 2\r\n\r\nx\r\ny\r\nz";
        assertEquals("A: 1\r\nB: 2\r\n\r\n", top(m, 0, 0));
        assertEquals("A: 1\r\nB: 2\r\n\r\nx\r\n", top(m, 1, 0));
        assertEquals(m, top(m, 3, 0));
        assertEquals(m, top(m, Long.MAX_VALUE, 0));
        assertEquals("\r\nbody\r\n", top("\r\nbody\r\nmore\r\n", 1, 0), "a message with no header fields");
        assertEquals("A: 1\r\n", top("A: 1\r\n", 0, 0), "no blank line: all of it is header");
    }

    @Test
    void streamingAgreesWithTheReferenceForRandomMessagesAndReadSizes() throws IOException {
        var random = new Random(7);
        String[] pieces = {"\r\n", "\r\n", "a", "Subject: x", " ", "\r\n\r\n"};
        for (int round = 0; round < 3000; round++) {
            var message = new StringBuilder();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                message.append(pieces[random.nextInt(pieces.length)]);
            }
            long lines = random.nextInt(5);
            var text = message.toString();
            assertEquals(reference(text, lines), top(text, lines, 1 + random.nextInt(5)), "round " + round + ": " + text);
        }
    }
}
