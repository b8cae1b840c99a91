package org.roost.mail.mime;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The streaming content-transfer decoders of FETCH BINARY: RFC 2045 §6.7 and §6.8, good and hostile input. */
class TransferDecodingTest {
    /** The smallest {@code limits.binaryDecodeBuffer}: the most chunk boundaries per input. */
    static final int BUFFER = 4096;

    private static String decode(TransferDecoding decoding, String encoded) throws IOException {
        return new String(decoding.decode(stream(encoded.getBytes(ISO_8859_1)), BUFFER).readAllBytes(), ISO_8859_1);
    }

    /** A source that hands out at most {@code step} bytes a read, as a network or a slow disk may. */
    private static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    private static InputStream stream(byte[] data) {
        return new ByteArrayInputStream(data);
    }

    @Test
    void base64OfRandomDataInAnyChunkingRoundTrips() throws IOException {
        var random = new Random(3516);
        for (int round = 0; round < 40; round++) {
            var data = new byte[random.nextInt(300_000)];
            random.nextBytes(data);
            var encoded = (round % 2 == 0 ? Base64.getMimeEncoder() : Base64.getEncoder()).encode(data);
            var in = TransferDecoding.BASE64.decode(trickle(encoded, 1 + random.nextInt(100_000)), BUFFER);
            assertArrayEquals(data, readInPieces(in, random), "round " + round);
        }
    }

    /** Reads with reads of random sizes, single bytes and skips mixed in. */
    private static byte[] readInPieces(InputStream in, Random random) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        var buffer = new byte[70_000];
        while (true) {
            int how = random.nextInt(10);
            if (how == 0) {
                int b = in.read();
                if (b < 0) {
                    return out.toByteArray();
                }
                out.write(b);
            } else {
                int n = in.read(buffer, 0, 1 + random.nextInt(buffer.length - 1));
                if (n < 0) {
                    return out.toByteArray();
                }
                out.write(buffer, 0, n);
            }
        }
    }

    @Test
    void base64IgnoresCharactersOutsideTheAlphabet() throws IOException {
        // RFC 2045 §6.8: "Any characters outside of the base64 alphabet are to be ignored"
        assertEquals("hello world", decode(TransferDecoding.BASE64, "aGVs*bG8g!d29y\r\n bGQ="));
    }

    @Test
    void base64EndsAtTheFirstPadding() throws IOException {
        // RFC 2045 §6.8: "=" may be taken as evidence that the end of the data has been reached
        assertEquals("abc", decode(TransferDecoding.BASE64, "YWJj=ZGVm\r\nAA\r\n"));
        assertEquals("a", decode(TransferDecoding.BASE64, "YQ==YWJj"));
    }

    @Test
    void base64UnfinishedLastGroup() throws IOException {
        assertEquals("ab", decode(TransferDecoding.BASE64, "YWI")); // three characters: two bytes
        assertEquals("a", decode(TransferDecoding.BASE64, "YQ")); // two characters: one byte
        assertEquals("abc", decode(TransferDecoding.BASE64, "YWJjZ")); // a lone character: nothing
        assertEquals("", decode(TransferDecoding.BASE64, "\r\n!!\r\n"));
    }

    @Test
    void quotedPrintableRules() throws IOException {
        // RFC 2045 §6.7 rule 1 (=XX, lower case accepted), rule 3 (trailing blanks dropped), rule 5 (soft breaks)
        assertEquals("h\u00c3\u00a9llo world\r\nnext", decode(TransferDecoding.QUOTED_PRINTABLE,
                "h=C3=a9llo=\r\n wo=   \r\nrld  \t\r\nnext"));
        assertEquals("a = b\r\n", decode(TransferDecoding.QUOTED_PRINTABLE, "a =3D b\r\n"));
    }

    @Test
    void quotedPrintableSoftBreakAtTheEnd() throws IOException {
        assertEquals("line1=\r\nline2 ", decode(TransferDecoding.QUOTED_PRINTABLE, "line1=3D\r\nline2 =\r\n"));
        assertEquals("abc", decode(TransferDecoding.QUOTED_PRINTABLE, "abc="));
        assertEquals("abc", decode(TransferDecoding.QUOTED_PRINTABLE, "abc=  "));
    }

    @Test
    void quotedPrintableKeepsAnEqualsSignNotFollowedByHex() throws IOException {
        assertEquals("a=ZZb=4\r\nc=\r\n", decode(TransferDecoding.QUOTED_PRINTABLE, "a=ZZb=4\r\nc=3d   \r\n"));
        assertEquals("=G", decode(TransferDecoding.QUOTED_PRINTABLE, "=G"));
    }

    @Test
    void quotedPrintableLinesLongerThanTheBuffer() throws IOException {
        var random = new Random(2045);
        for (int round = 0; round < 20; round++) {
            var plain = new StringBuilder();
            var encoded = new StringBuilder();
            int length = BUFFER * (1 + random.nextInt(3)) + random.nextInt(1000);
            while (plain.length() < length) {
                switch (random.nextInt(4)) {
                    case 0 -> {
                        plain.append('=');
                        encoded.append("=3D");
                    }
                    case 1 -> encoded.append("=\r\n"); // soft break: nothing
                    case 2 -> {
                        plain.append("  x");
                        encoded.append("  x");
                    }
                    default -> {
                        plain.append('q');
                        encoded.append('q');
                    }
                }
            }
            var in = TransferDecoding.QUOTED_PRINTABLE.decode(trickle(encoded.toString().getBytes(ISO_8859_1),
                    1 + random.nextInt(200_000)), BUFFER);
            assertEquals(plain.toString(), new String(readInPieces(in, random), ISO_8859_1), "round " + round);
        }
    }

    @Test
    void quotedPrintableHostileBlankRunsStayBounded() throws IOException {
        var blanks = " ".repeat(3 * BUFFER);
        assertEquals(blanks + "x", decode(TransferDecoding.QUOTED_PRINTABLE, blanks + "x"));
        assertEquals("", decode(TransferDecoding.QUOTED_PRINTABLE, blanks + "\r\n").trim());
    }

    @Test
    void fiftyMegabytesDecodeInBoundedMemory() throws IOException {
        // a 50 MB attachment is never held: what the decoding allocates does not grow with the part
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var lines = Map.of(TransferDecoding.BASE64, "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2\r\n",
                TransferDecoding.QUOTED_PRINTABLE, "=41=42=43 soft=\r\nbreaks and blanks  \r\n");
        for (var decoding : lines.keySet()) {
            long before = threads.getCurrentThreadAllocatedBytes();
            var in = decoding.decode(repeated(lines.get(decoding), 50_000_000), 64 * 1024);
            var buffer = new byte[8192];
            long decoded = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                decoded += n;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(decoded > 1_000_000, decoding + " decoded " + decoded);
            assertTrue(allocated < 1024 * 1024, decoding + " allocated " + allocated + " bytes");
        }
    }

    /** {@code line} over and over, {@code total} bytes in all, made as it is read. */
    private static InputStream repeated(String line, long total) {
        var bytes = line.getBytes(ISO_8859_1);
        return new InputStream() {
            private long position;

            @Override
            public int read() {
                return position < total ? bytes[(int) (position++ % bytes.length)] : -1;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (position >= total) {
                    return -1;
                }
                int n = (int) Math.min(len, total - position);
                for (int i = 0; i < n; i++) {
                    b[off + i] = bytes[(int) (position++ % bytes.length)];
                }
                return n;
            }
        };
    }

    @Test
    void encodingsByName() {
        assertEquals(Optional.of(TransferDecoding.IDENTITY), TransferDecoding.of("8bit"));
        assertEquals(Optional.of(TransferDecoding.IDENTITY), TransferDecoding.of("binary"));
        assertTrue(TransferDecoding.of("x-uuencode").isEmpty());
    }
}
