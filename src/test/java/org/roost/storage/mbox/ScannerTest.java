package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.SystemFlag;

/** Reading mbox files other programs wrote, and damaged ones: where messages are and what clients see of them. */
class ScannerTest {
    @TempDir
    Path dir;

    /** As Debian's Dovecot 2.3 wrote it (APPEND of two messages, then STORE +FLAGS \Flagged on the first). */
    static final String DOVECOT = """
            From nobody@vm  Sun Dec 06 15:33:56 2026
            Subject: hi
            X-IMAPbase: 1796571236 0000000002 $Junk foo
            X-UID: 1
            Status: RO
            X-Keywords: $Junk foo                                                \s
            Content-Length: 32
            X-Status: F

            From me to you
            >From quoted
            end

            From nobody@vm  Sun Dec 06 15:33:56 2026
            Subject: two
            X-UID: 2
            Status: O
            X-Keywords:                                                          \s
            Content-Length: 3

            xx

            """;

    /** As mutt 2.2 left it after deleting the first of three messages and flagging the second. */
    static final String MUTT = """
            From bob Mon Jan  5 11:00:00 2026
            Subject: two
            X-UID: 2
            X-Keywords:                                             \s
            Status: O
            X-Status: F
            Content-Length: 9
            Lines: 1

            body two

            From carol Mon Jan  5 12:00:00 2026
            Subject: three
            X-UID: 3
            X-Keywords:                                             \s
            Status: RO
            Content-Length: 24
            Lines: 2

            body three
            >From quoted

            """;

    private List<Scanner.Found> scan(String text) throws IOException {
        return scan(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private List<Scanner.Found> scan(byte[] bytes) throws IOException {
        var file = dir.resolve("mbox");
        Files.write(file, bytes);
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return Scanner.scan(channel, 0, bytes.length, ZoneOffset.UTC);
        }
    }

    /** What clients see of a message: the exposure of its stored bytes. */
    static byte[] exposed(byte[] file, Scanner.Found m) throws IOException {
        var out = new ByteArrayOutputStream();
        var exposure = new Exposure(out::write);
        exposure.feed(file, (int) m.headerStart(), (int) (m.contentEnd() - m.headerStart()));
        exposure.finish();
        return out.toByteArray();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void dovecotsBookkeepingIsReadAndHidden() throws IOException {
        var bytes = DOVECOT.getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(2, found.size());
        var first = found.get(0);
        assertEquals(new Metadata.Base(1796571236, 2, List.of("$Junk", "foo"), false), first.meta().base);
        assertEquals(1, first.meta().uid);
        assertEquals(EnumSet.of(SystemFlag.SEEN, SystemFlag.FLAGGED), first.meta().flags());
        assertEquals(List.of("$Junk", "foo"), List.copyOf(first.meta().keywords(List.of("$Junk", "foo"))));
        assertEquals(32, first.contentEnd() - first.bodyStart(), "Content-Length checks out");
        // Dovecot does not quote; the mboxrd rule takes one '>' off every quoted From line.
        assertEquals("Subject: hi\n\nFrom me to you\nFrom quoted\nend\n", text(exposed(bytes, first)));
        assertEquals(first.size(), exposed(bytes, first).length);
        assertEquals(first.size() + 5, first.virtualSize());
        assertEquals("Subject: two\n\nxx\n", text(exposed(bytes, found.get(1))));
        assertEquals(2, found.get(1).meta().uid);
        assertTrue(found.get(1).meta().old());
    }

    @Test
    void muttsContentLengthAndLinesAreItsBookkeeping() throws IOException {
        var bytes = MUTT.getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(2, found.size());
        assertEquals("Subject: two\n\nbody two\n", text(exposed(bytes, found.get(0))));
        assertEquals("Subject: three\n\nbody three\nFrom quoted\n", text(exposed(bytes, found.get(1))));
        assertEquals(EnumSet.of(SystemFlag.FLAGGED), found.get(0).meta().flags());
    }

    @Test
    void linesIsShownWhereItIsTheSendersOwn() throws IOException {
        var bytes = "From a Mon Jan  5 10:00:00 2026\nLines: 3\nContent-Length: 5\nSubject: s\nLines: 1\n\nbody\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals("Lines: 3\nSubject: s\nLines: 1\n\nbody\n", text(exposed(bytes, found.getFirst())));
    }

    @Test
    void aLyingContentLengthIsIgnored() throws IOException {
        var text = "From a Mon Jan  5 10:00:00 2026\nContent-Length: 3\n\nlonger body\n\n"
                + "From b Mon Jan  5 10:00:01 2026\nContent-Length: 999999\n\nshort\n";
        var bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(2, found.size());
        assertEquals("\nlonger body\n", text(exposed(bytes, found.get(0))));
        assertEquals("\nshort", text(exposed(bytes, found.get(1))));
    }

    @Test
    void aContentLengthThatChecksOutKeepsAFromLineInTheBody() throws IOException {
        var body = "From x Mon Jan  5 10:00:00 2026\nnot a new message\n";
        var text = "From a Mon Jan  5 10:00:00 2026\nContent-Length: " + body.length() + "\n\n" + body + "\n"
                + "From b Mon Jan  5 10:00:01 2026\n\nsecond\n";
        var found = scan(text);
        assertEquals(2, found.size());
        assertEquals(body.length(), found.get(0).contentEnd() - found.get(0).bodyStart());
    }

    @Test
    void crlfFilesHeaderOnlyMessagesAndNoLastLineEnd() throws IOException {
        var text = "From a Mon Jan  5 10:00:00 2026\r\nSubject: crlf\r\nStatus: R\r\n\r\nbody\r\n\r\n"
                + "From b Mon Jan  5 10:00:01 2026\nSubject: only a header\n"
                + "From c Mon Jan  5 10:00:02 2026\nSubject: last\n\nno line end";
        var bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(3, found.size());
        assertEquals("Subject: crlf\r\n\r\nbody\r\n", text(exposed(bytes, found.get(0))));
        assertEquals(EnumSet.of(SystemFlag.SEEN), found.get(0).meta().flags());
        assertEquals("Subject: only a header", text(exposed(bytes, found.get(1))));
        assertEquals("Subject: last\n\nno line end", text(exposed(bytes, found.get(2))));
        for (var m : found) {
            assertEquals(exposed(bytes, m).length, m.size());
        }
    }

    @Test
    void bytesBeforeTheFirstSeparatorAreAMessageToo() throws IOException {
        var bytes = "\n\nSubject: no separator\n\nlost?\nFrom b Mon Jan  5 10:00:01 2026\n\nsecond\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(2, found.size());
        assertEquals(0, found.get(0).fromLength());
        assertEquals(Long.MIN_VALUE, found.get(0).date());
        assertEquals("Subject: no separator\n\nlost?", text(exposed(bytes, found.get(0))));
    }

    /**
     * Seeded damaged files (broken From lines, lying Content-Length, NULs, CRs, over-long lines, no last
     * line end): the scan ends, its messages tile the file in order, and each message's size is exactly
     * what is shown of it.
     */
    @Test
    void fuzzedFilesAreReadWhole() throws IOException {
        var random = new Random(1995);
        for (int round = 0; round < 300; round++) {
            var bytes = MboxFuzz.file(random);
            var found = scan(bytes);
            long at = found.isEmpty() ? bytes.length : found.getFirst().offset();
            assertTrue(found.isEmpty() || new String(bytes, 0, (int) at, StandardCharsets.ISO_8859_1).isBlank(),
                    "only empty lines are skipped at the start (round " + round + ")");
            for (var m : found) {
                assertEquals(at, m.offset(), "round " + round);
                assertTrue(m.headerStart() <= m.bodyStart() && m.bodyStart() <= m.contentEnd()
                        && m.contentEnd() <= m.end(), "round " + round + ": " + m);
                var shown = exposed(bytes, m);
                assertEquals(shown.length, m.size(), "round " + round);
                assertEquals(shown.length + count(shown), m.virtualSize(), "round " + round);
                at = m.end();
            }
            assertEquals(bytes.length, at, "round " + round);
        }
    }

    /** Bare LFs: what CRLF conversion adds. */
    private static long count(byte[] shown) {
        long n = 0;
        for (int i = 0; i < shown.length; i++) {
            if (shown[i] == '\n' && (i == 0 || shown[i - 1] != '\r')) {
                n++;
            }
        }
        return n;
    }

    @Test
    void anOverlongBookkeepingLineIsHiddenButNeverBelieved() throws IOException {
        var longLine = "X-UID: " + "9".repeat(Scanner.MAX_LINE * 2);
        var bytes = ("From a Mon Jan  5 10:00:00 2026\n" + longLine + "\nSubject: s\n\nbody\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes);
        assertEquals(1, found.size());
        assertEquals(-1, found.getFirst().meta().uid);
        assertEquals("Subject: s\n\nbody", text(exposed(bytes, found.getFirst())));
    }
}
