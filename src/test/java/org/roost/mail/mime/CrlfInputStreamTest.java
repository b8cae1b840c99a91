package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {

    private static String normalize(String s) throws IOException {
        return new String(new CrlfInputStream(new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1)))
                .readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void bareLfBecomesCrlfAndEverythingElseStays() throws IOException {
        assertEquals("a\r\nb\r\n", normalize("a\nb\n"));
        assertEquals("a\r\nb\r\n", normalize("a\r\nb\r\n"));
        assertEquals("a\rb\r\n", normalize("a\rb\r\n"));
        assertEquals("a\rb\r", normalize("a\rb\r"));
        assertEquals("\r\n\r\n", normalize("\n\n"));
        assertEquals("", normalize(""));
    }

    /** Bulk reads of any size give the same bytes as a reference transformation. */
    @Test
    void bulkReadsMatchReference() throws IOException {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            byte[] src = new byte[random.nextInt(3000)];
            for (int i = 0; i < src.length; i++) {
                src[i] = (byte) "ab\r\n\n\r".charAt(random.nextInt(6));
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < src.length; i++) {
                if (src[i] == '\n' && (i == 0 || src[i - 1] != '\r')) {
                    expected.write('\r');
                }
                expected.write(src[i]);
            }
            CrlfInputStream in = new CrlfInputStream(new ByteArrayInputStream(src));
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[1 + random.nextInt(20)];
            for (;;) {
                int n = random.nextBoolean() ? in.read(buf, 0, 1 + random.nextInt(buf.length)) : single(in, buf);
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
            }
            assertArrayEquals(expected.toByteArray(), got.toByteArray());
        }
    }

    /**
     * A caller that reads exactly the rest of the message (a BODY[] literal of known size) costs one read
     * below, not one per halving of the rest down to single bytes.
     */
    @Test
    void readingExactlyTheRestReadsBelowOnce() throws IOException {
        byte[] lines = "a line of a message\n".repeat(200).getBytes(StandardCharsets.US_ASCII);
        var below = new ByteArrayInputStream(lines) {
            int reads;

            @Override
            public synchronized int read(byte[] b, int off, int len) {
                reads++;
                return super.read(b, off, len);
            }
        };
        var in = new CrlfInputStream(below);
        byte[] served = in.readNBytes(lines.length + 200);
        assertEquals(lines.length + 200, served.length);
        assertEquals(-1, in.read());
        assertTrue(below.reads <= 3, below.reads + " reads below");
    }

    private static int single(CrlfInputStream in, byte[] buf) throws IOException {
        int b = in.read();
        if (b < 0) {
            return -1;
        }
        buf[0] = (byte) b;
        return 1;
    }
}
