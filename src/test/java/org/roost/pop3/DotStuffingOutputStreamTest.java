package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 1939 §3 byte stuffing, checked by undoing it the way a client does. */
class DotStuffingOutputStreamTest {

    static byte[] stuff(byte[] data, int chunk) throws IOException {
        var out = new ByteArrayOutputStream();
        var stuffing = new DotStuffingOutputStream(out);
        for (int i = 0; i < data.length; i += chunk) {
            if (chunk == 1) {
                stuffing.write(data[i]);
            } else {
                stuffing.write(data, i, Math.min(chunk, data.length - i));
            }
        }
        stuffing.finish();
        return out.toByteArray();
    }

    /** A client's reading: lines up to ".CRLF", one leading dot removed from each line. */
    static byte[] unstuff(byte[] wire) {
        var text = new String(wire, StandardCharsets.ISO_8859_1);
        if (!text.endsWith("\r\n.\r\n") && !text.equals(".\r\n")) {
            throw new AssertionError("not terminated: " + text);
        }
        var body = text.equals(".\r\n") ? "" : text.substring(0, text.length() - 3);
        var out = new StringBuilder();
        for (var line : body.split("(?<=\n)")) {
            if (line.equals(".\r\n")) {
                throw new AssertionError("premature terminator inside the body");
            }
            out.append(line.startsWith(".") ? line.substring(1) : line);
        }
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void examples() throws IOException {
        assertEquals(".\r\n", new String(stuff(new byte[0], 8), StandardCharsets.US_ASCII));
        assertEquals("a\r\n.\r\n", new String(stuff("a".getBytes(StandardCharsets.US_ASCII), 8), StandardCharsets.US_ASCII));
        assertEquals("..\r\n...x\r\n.\r\n",
                new String(stuff(".\r\n..x\r\n".getBytes(StandardCharsets.US_ASCII), 3), StandardCharsets.US_ASCII));
    }

    @Test
    void randomBodiesRoundTripWithAnyChunking() throws IOException {
        var random = new Random(1939);
        byte[] alphabet = {'.', '.', '\r', '\n', 'a', ' '};
        for (int round = 0; round < 2000; round++) {
            var body = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                byte b = alphabet[random.nextInt(alphabet.length)];
                body.append(b == '\n' ? "\r\n" : b == '\r' ? "" : String.valueOf((char) b));
            }
            var data = body.toString().getBytes(StandardCharsets.US_ASCII);
            var wire = stuff(data, 1 + random.nextInt(7));
            var expected = data.length == 0 || body.toString().endsWith("\r\n") ? data
                    : (body + "\r\n").getBytes(StandardCharsets.US_ASCII);
            assertArrayEquals(expected, unstuff(wire), "round " + round + ": " + body);
        }
    }
}
