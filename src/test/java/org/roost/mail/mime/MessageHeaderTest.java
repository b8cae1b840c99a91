package org.roost.mail.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A header read alone is the one the full parse keeps (envelope and fields), and reading it stops at
 * its end: a first SORT reads a bounded prefix of each message, whatever follows.
 */
class MessageHeaderTest {
    private static final String[] LINES = {
        "Date: Mon, 4 Mar 2024 10:00:00 +0100", "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?= Re: [x] plan",
        "From: \"Ann\" <ann@example.org>, bob@example.org", "To: undisclosed-recipients:;", "Cc: <a@b>",
        "References: <a@b> <c@d>\r\n\t<e@f>", "In-Reply-To: <c@d>", "Message-ID: <m1@example.org>",
        "Subject: second subject", "X-Long: " + "y".repeat(3000), "folded: a\r\n b\r\n  c", "no colon line",
        "From: (comment) a@b (x)", "Content-Type: multipart/mixed; boundary=zz", " continuation first", "",
        "--zz", "Date: Tue, 5 Mar 2024 10:00:00 +0000",
    };

    @Test
    void aHeaderReadAloneIsTheOneTheParseKeeps() throws IOException {
        var random = new Random(2024);
        for (int round = 0; round < 500; round++) {
            var message = new StringBuilder();
            for (int k = random.nextInt(30); k > 0; k--) {
                message.append(LINES[random.nextInt(LINES.length)]).append(random.nextInt(8) == 0 ? "\n" : "\r\n");
            }
            if (random.nextBoolean()) {
                message.append("\r\nbody\r\n--zz\r\nSubject: inner\r\n\r\ntext\r\n");
            }
            var bytes = message.toString().getBytes(StandardCharsets.UTF_8);
            assertSame(bytes, "round " + round);
        }
    }

    @Test
    void aHeaderOverTheCapIsCutAsTheParseCutsIt() throws IOException {
        var huge = "Subject: s\r\n" + ("X-Pad: " + "p".repeat(1000) + "\r\n").repeat(100) + "From: late@example.org\r\n\r\nbody\r\n";
        assertSame(huge.getBytes(StandardCharsets.US_ASCII), "over 64 KiB");
        assertSame(("Subject: " + "s".repeat(200_000) + "\r\nFrom: a@b\r\n\r\n").getBytes(StandardCharsets.US_ASCII),
                "one line over 64 KiB");
    }

    private static void assertSame(byte[] message, String what) throws IOException {
        var alone = MessageHeader.read(new CrlfInputStream(new ByteArrayInputStream(message)));
        var parsed = MessageHeader.of(MessageStructure.parse(new CrlfInputStream(new ByteArrayInputStream(message))));
        assertEquals(parsed.envelope(), alone.envelope(), what);
        assertEquals(parsed.values("References"), alone.values("References"), what);
        assertEquals(parsed.values("X-Long"), alone.values("x-long"), what);
    }

    @Test
    void readingStopsAtTheEndOfTheHeader() throws IOException {
        var body = "b".repeat(75) + "\r\n";
        var counted = new Counted(("Subject: s\r\n\r\n" + body.repeat(100_000)).getBytes(StandardCharsets.US_ASCII));
        assertEquals("s", MessageHeader.read(new CrlfInputStream(counted)).envelope().subject());
        assertTrue(counted.read < 64 * 1024, counted.read + " bytes read of 7.7 MB");
    }

    @Test
    void readingAnEndlessHeaderStopsAtTheCap() throws IOException {
        var line = "X-Pad: " + "p".repeat(90) + "\r\n";
        var counted = new Counted(("Subject: s\r\n" + line.repeat(100_000)).getBytes(StandardCharsets.US_ASCII));
        assertEquals("s", MessageHeader.read(new CrlfInputStream(counted)).envelope().subject());
        assertTrue(counted.read < 2 * MessageStructure.Limits.DEFAULT.maxHeaderBytes(), counted.read + " bytes read of 9.9 MB");
    }

    @Test
    void readingOneEndlessLineStopsAtTheCap() throws IOException {
        var message = ("Subject: " + "s".repeat(10_000_000)).getBytes(StandardCharsets.US_ASCII);
        assertSame(message, "one line of 10 MB without a line end");
        var counted = new Counted(message);
        MessageHeader.read(new CrlfInputStream(counted));
        assertTrue(counted.read < 2 * MessageStructure.Limits.DEFAULT.maxHeaderBytes(), counted.read + " bytes read of 10 MB");
    }

    /** Counts what is read of it. */
    private static final class Counted extends InputStream {
        private final ByteArrayInputStream in;
        long read;

        Counted(byte[] data) {
            in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() {
            int b = in.read();
            read += b < 0 ? 0 : 1;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            int n = in.read(b, off, len);
            read += Math.max(0, n);
            return n;
        }
    }
}
