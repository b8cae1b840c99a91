package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.MessageHeader;

/** Reading a message out of the mbox a piece at a time: what is read of the file, and what clients see. */
class ExposedStreamTest {
    @TempDir
    Path dir;

    /** The file's bytes, served piece by piece as the mailbox does, with the raw ranges it was asked for. */
    private static final class Pieces implements ExposedStream.Source {
        private final byte[] file;
        private final Scanner.Found found;
        final List<long[]> ranges = new ArrayList<>();

        Pieces(byte[] file, Scanner.Found found) {
            this.file = file;
            this.found = found;
        }

        @Override
        public void readPiece(ExposedStream stream) throws IOException {
            var range = stream.next(found);
            if (range == null) {
                stream.finished();
                return;
            }
            ranges.add(range);
            stream.consumed(Arrays.copyOfRange(file, (int) range[0], (int) range[1]), (int) (range[1] - range[0]));
        }

        long furthest() {
            return ranges.stream().mapToLong(r -> r[1]).max().orElse(0);
        }
    }

    private List<Scanner.Found> scan(byte[] bytes) throws IOException {
        var file = dir.resolve("mbox");
        Files.write(file, bytes);
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return Scanner.scan(channel, 0, bytes.length, ZoneOffset.UTC);
        }
    }

    @Test
    void theHeaderAloneIsReadWithoutTheBody() throws IOException {
        var bytes = ("From a@b Mon Jan  5 10:00:00 2026\nSubject: the envelope\nX-UID: 4\nStatus: RO\nFrom: a@b\n\n"
                + "body line\n".repeat(4_000) + "\n").getBytes(StandardCharsets.ISO_8859_1); // 40 kB: under one piece
        var found = scan(bytes).getFirst();
        var pieces = new Pieces(bytes, found);

        var header = MessageHeader.read(new CrlfInputStream(new ExposedStream(pieces, 4, true)));

        assertEquals("the envelope", header.envelope().subject());
        assertTrue(pieces.furthest() <= found.bodyStart(),
                "read up to " + pieces.furthest() + ", the body starts at " + found.bodyStart());
    }

    @Test
    void piecesGiveWhatClientsSeeOfEveryMessage() throws IOException {
        var random = new Random(20);
        for (int round = 0; round < 300; round++) {
            var bytes = MboxFuzz.file(random);
            for (var found : scan(bytes)) {
                var exposed = ScannerTest.exposed(bytes, found);
                var pieces = new Pieces(bytes, found);
                assertArrayEquals(exposed, new ExposedStream(pieces, found.meta().uid, false).readAllBytes(), "round " + round);
                var header = new ExposedStream(new Pieces(bytes, found), found.meta().uid, true).readAllBytes();
                assertArrayEquals(Arrays.copyOf(exposed, header.length), header, "a prefix, round " + round);
                assertTrue(header.length >= headerLength(bytes, found), "the header whole, round " + round);
                assertTrue(pieces.ranges.stream().allMatch(r -> r[1] - r[0] <= ExposedStream.PIECE && r[0] < r[1]));
            }
        }
    }

    /** How long the exposed header is, with its empty line (0 when there is none). */
    private static long headerLength(byte[] file, Scanner.Found m) throws IOException {
        var exposure = new Exposure((b, offset, length) -> { });
        exposure.feed(file, (int) m.headerStart(), (int) (m.contentEnd() - m.headerStart()));
        return Math.max(0, exposure.headerLength());
    }

    @Test
    void aHeaderLongerThanAPieceComesInPiecesAndEndsWithItsEmptyLine() throws IOException {
        var header = "Subject: " + "long ".repeat(30_000) + "\n\n";
        var bytes = ("From a@b Mon Jan  5 10:00:00 2026\n" + header.replace("\n\n", "\nX-UID: 9\n\n") + "body\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        var found = scan(bytes).getFirst();
        var pieces = new Pieces(bytes, found);

        var read = new ExposedStream(pieces, 9, true).readAllBytes();

        assertEquals(header, new String(read, StandardCharsets.ISO_8859_1));
        assertEquals(3, pieces.ranges.size());
        assertEquals(found.bodyStart(), pieces.furthest(), "the last piece ends where the body starts");
    }
}
