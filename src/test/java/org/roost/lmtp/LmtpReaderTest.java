package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** DATA's end and dot-unstuffing (RFC 5321 §4.5.2), BDAT chunks, line bounds, and the content checks. */
class LmtpReaderTest {

    private static LmtpReader reader(String wire) {
        return new LmtpReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)), 1024);
    }

    /** A stream that hands out one byte per read, so every state boundary falls between reads. */
    private static LmtpReader trickling(String wire) {
        var bytes = new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1));
        return new LmtpReader(new InputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, Math.min(1, len));
            }
        }, 1024);
    }

    private record Received(String text, MessageSink sink) {}

    private static Received data(LmtpReader reader, long max) throws IOException {
        var out = new ByteArrayOutputStream();
        var sink = new MessageSink(out, max);
        reader.data(sink);
        return new Received(out.toString(StandardCharsets.ISO_8859_1), sink);
    }

    @Test
    void dataEndsAtCrLfDotCrLfAndUnstuffsLeadingDots() throws Exception {
        for (var r : new LmtpReader[] {reader("a\r\n..b\r\n.c\r\n\r\n.\r\nQUIT\r\n"),
                trickling("a\r\n..b\r\n.c\r\n\r\n.\r\nQUIT\r\n")}) {
            var got = data(r, 1000);
            assertEquals("a\r\n.b\r\nc\r\n\r\n", got.text());
            assertNull(got.sink().refusal(false));
            assertEquals("QUIT", r.line(), "what follows the data stays for the next command");
        }
    }

    @Test
    void emptyMessageEndsAtOnce() throws Exception {
        assertEquals("", data(reader(".\r\n"), 10).text());
    }

    @Test
    void bareLineFeedsNeverEndTheDataAndAreRefused() throws Exception {
        // The SMTP smuggling patterns: "\n.\n" and "\n.\r\n" and "\r\n.\n" must not end the message.
        var r = reader("x\n.\nMAIL FROM:<evil@x>\r\n\n.\r\nRCPT\r\n.\nz\r\n.\r\nNOOP\r\n");
        var got = data(r, 1000);
        assertTrue(got.text().contains("MAIL FROM:<evil@x>"), got.text());
        assertTrue(got.text().contains("RCPT"), got.text());
        assertSame(LmtpReply.BARE_LINE_END, got.sink().refusal(true));
        assertEquals("NOOP", r.line());
    }

    @Test
    void bareCarriageReturnNulAndUndeclaredEightBitAreRefused() throws Exception {
        assertSame(LmtpReply.BARE_LINE_END, data(reader("a\rb\r\n.\r\n"), 100).sink().refusal(true));
        assertSame(LmtpReply.BARE_LINE_END, data(reader(".\rx\r\n.\r\n"), 100).sink().refusal(true));
        assertSame(LmtpReply.NUL_IN_DATA, data(reader("a\0b\r\n.\r\n"), 100).sink().refusal(true));
        var eightBit = data(reader("caf\u00e9\r\n.\r\n"), 100).sink();
        assertSame(LmtpReply.UNDECLARED_8BIT, eightBit.refusal(false));
        assertNull(eightBit.refusal(true));
    }

    @Test
    void tooLargeDataIsReadToItsEndButNotKept() throws Exception {
        var r = reader("0123456789\r\n0123456789\r\n.\r\nQUIT\r\n");
        var got = data(r, 12);
        assertSame(LmtpReply.TOO_BIG, got.sink().refusal(true));
        assertEquals(24, got.sink().size());
        assertTrue(got.text().length() <= 12, "nothing past the limit is kept");
        assertEquals("QUIT", r.line());
    }

    @Test
    void aClientThatHangsUpMidDataIsAnEndOfFile() {
        assertThrows(EOFException.class, () -> data(reader("half a mess"), 100));
    }

    @Test
    void chunksAreExactAndChecksSpanThem() throws Exception {
        var r = reader("ab\rBDAT 1 LAST\r\n\nQUIT\r\n");
        var out = new ByteArrayOutputStream();
        var sink = new MessageSink(out, 100);
        r.chunk(3, sink);
        assertEquals("BDAT 1 LAST", r.line());
        r.chunk(1, sink);
        sink.finish();
        assertArrayEquals("ab\r\n".getBytes(StandardCharsets.ISO_8859_1), out.toByteArray());
        assertNull(sink.refusal(false), "CR at the end of one chunk and LF at the start of the next make a line end");
        assertEquals("QUIT", r.line());
        r.chunk(0, null);
    }

    @Test
    void commandLinesAreBoundedAndTheRestCanBeSkipped() throws Exception {
        var r = new LmtpReader(new ByteArrayInputStream(("x".repeat(5000) + "\r\nNOOP\r\n").getBytes()), 1024);
        assertThrows(LmtpReader.LineTooLong.class, r::line);
        assertTrue(r.skipLine(100_000));
        assertEquals("NOOP", r.line());
        var endless = new LmtpReader(new ByteArrayInputStream("y".repeat(50_000).getBytes()), 1024);
        assertThrows(LmtpReader.LineTooLong.class, endless::line);
        assertFalse(endless.skipLine(1000));
    }

    /** Seeded random data: unstuffing then restuffing gives the wire bytes back; no input hangs or throws. */
    @Test
    void randomMessagesSurviveStuffingBothWays() throws Exception {
        var random = new Random(5321);
        for (int i = 0; i < 2_000; i++) {
            var message = new StringBuilder();
            int lines = random.nextInt(8);
            for (int l = 0; l < lines; l++) {
                int length = random.nextInt(12);
                for (int c = 0; c < length; c++) {
                    message.append(".a. b".charAt(random.nextInt(5)));
                }
                message.append("\r\n");
            }
            var stuffed = message.toString().replaceAll("(?m)^\\.", "..");
            var got = data(trickling(stuffed + ".\r\n"), 10_000);
            assertEquals(message.toString(), got.text(), stuffed);
            assertNull(got.sink().refusal(false));
        }
    }
}
