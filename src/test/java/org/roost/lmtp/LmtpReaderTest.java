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

    /** A stream that hands out what it holds in pieces of random sizes (1 to {@code maxPiece} bytes). */
    private static InputStream pieces(byte[] wire, Random random, int maxPiece) {
        var bytes = new ByteArrayInputStream(wire);
        return new InputStream() {
            @Override
            public int read() {
                return bytes.read();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                return bytes.read(b, off, Math.min(1 + random.nextInt(maxPiece), len));
            }
        };
    }

    /**
     * The plain reading, one byte at a time, as RFC 5321 §4.5.2 and §2.3.8 put it (a line starts after a CRLF
     * of the wire; the data ends at a line of a lone dot): the reference the word-at-a-time reader is held to.
     * Returns the message, the refusal's code and the line after the data.
     */
    private static String simpleData(byte[] wire, long max, boolean eightBitDeclared) {
        var message = new ByteArrayOutputStream();
        int i = 0;
        for (; ; i++) {
            boolean lineStart = i == 0 || i >= 2 && wire[i - 2] == '\r' && wire[i - 1] == '\n';
            if (lineStart && wire[i] == '.') {
                if (wire[i + 1] == '\r' && wire[i + 2] == '\n') {
                    break;
                }
                continue;
            }
            message.write(wire[i]);
        }
        var bytes = message.toByteArray();
        boolean nul = false;
        boolean bare = false;
        boolean eightBit = false;
        for (int j = 0; j < bytes.length; j++) {
            nul |= bytes[j] == 0;
            eightBit |= bytes[j] < 0;
            bare |= bytes[j] == '\r' && (j + 1 == bytes.length || bytes[j + 1] != '\n');
            bare |= bytes[j] == '\n' && (j == 0 || bytes[j - 1] != '\r');
        }
        var refusal = bytes.length > max ? LmtpReply.TOO_BIG : nul ? LmtpReply.NUL_IN_DATA
                : bare ? LmtpReply.BARE_LINE_END : eightBit && !eightBitDeclared ? LmtpReply.UNDECLARED_8BIT : null;
        int next = i + 3;
        int lineEnd = next;
        while (wire[lineEnd] != '\n') {
            lineEnd++;
        }
        int lineLength = lineEnd > next && wire[lineEnd - 1] == '\r' ? lineEnd - 1 - next : lineEnd - next;
        return outcome(new String(bytes, StandardCharsets.ISO_8859_1), refusal,
                new String(wire, next, lineLength, StandardCharsets.UTF_8));
    }

    private static String wordAtATimeData(LmtpReader reader, long max, boolean eightBitDeclared) throws IOException {
        var got = data(reader, max);
        return outcome(got.text(), got.sink().refusal(eightBitDeclared), reader.line());
    }

    /** What a reading gave, as one string to compare (a message too large is not kept, so not compared). */
    private static String outcome(String message, LmtpReply refusal, String nextLine) {
        return (refusal == LmtpReply.TOO_BIG ? "" : message) + "|" + (refusal == null ? "-" : refusal.code()) + "|"
                + nextLine;
    }

    /** Bytes that matter at line starts and to the checks, among plain ones. */
    private static final byte[] ALPHABET = {'.', '.', '\r', '\n', '\r', '\n', 'a', 'b', ' ', 0, (byte) 0xE9, 'x', 'y', 'z'};

    /**
     * Seeded random messages of every size up to a few receive buffers (dots, CRs, LFs, NULs and 8-bit bytes
     * in runs of plain text) read in pieces of random sizes: the same message, refusal and next line as
     * the plain reading, wherever the pieces and the buffer split a word, a CRLF, a stuffed dot or the end.
     */
    @Test
    void wordAtATimeReadingMatchesThePlainReadingAtRandomSplits() throws Exception {
        var random = new Random(2033);
        for (int round = 0; round < 3_000; round++) {
            int length = round % 10 == 0 ? random.nextInt(40_000) : random.nextInt(200);
            var body = new ByteArrayOutputStream();
            while (body.size() < length) {
                if (random.nextInt(4) == 0) {
                    body.write(ALPHABET[random.nextInt(ALPHABET.length)]);
                } else {
                    body.writeBytes("plain text ".repeat(random.nextInt(10)).getBytes(StandardCharsets.US_ASCII));
                    body.writeBytes(random.nextBoolean() ? new byte[] {'\r', '\n'} : new byte[] {'\r', '\n', '.'});
                }
            }
            body.writeBytes("\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            var wire = body.toByteArray();
            long max = random.nextInt(4) == 0 ? random.nextInt(length + 1) : Long.MAX_VALUE;
            boolean declared = random.nextBoolean();
            int maxPiece = random.nextBoolean() ? 1 + random.nextInt(16) : 1 + random.nextInt(40_000);
            var reader = new LmtpReader(pieces(wire, random, maxPiece), 100_000);
            assertEquals(simpleData(wire, max, declared), wordAtATimeData(reader, max, declared),
                    "round " + round + ", pieces up to " + maxPiece);
        }
    }

    /** The cases at a receive buffer's edge (16 kB), each with the edge at every byte of the pattern. */
    @Test
    void stuffedDotsLoneDotsAndLineEndsAtTheBufferEdge() throws Exception {
        for (var pattern : new String[] {"\r\n..x\r\n", "\r\n.\r\n", "\r\n.\rx\r\n", "\r\n.\n", "a\nb\r\n",
                "a\rb\r\n", "a\0b\r\n", "\r\n.\r\r\n"}) {
            for (int shift = 0; shift < 12; shift++) {
                var wire = ("y".repeat(16 * 1024 - 6 + shift) + pattern + "z\r\n.\r\nNOOP\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                var reader = new LmtpReader(new ByteArrayInputStream(wire), 1024);
                assertEquals(simpleData(wire, Long.MAX_VALUE, true), wordAtATimeData(reader, Long.MAX_VALUE, true),
                        pattern.replace("\r", "CR").replace("\n", "LF") + " shifted by " + shift);
            }
        }
    }
}
