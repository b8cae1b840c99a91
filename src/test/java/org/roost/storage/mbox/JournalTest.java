package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crash at any point of a journaled rewrite: the next open finishes it, and what another program
 * appended after the crash is kept.
 */
class JournalTest {
    @TempDir
    Path dir;

    private Path mbox;

    private FileChannel open(String content) throws IOException {
        mbox = dir.resolve("box");
        Files.writeString(mbox, content, StandardCharsets.ISO_8859_1);
        return FileChannel.open(mbox, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    private Journal prepare(FileChannel channel, long from, String replacement) throws IOException {
        return Journal.prepare(mbox, channel, from, channel.size(),
                out -> out.write(replacement.getBytes(StandardCharsets.ISO_8859_1)), false, () -> { });
    }

    private String content() throws IOException {
        return Files.readString(mbox, StandardCharsets.ISO_8859_1);
    }

    @Test
    void aCompleteJournalIsAppliedByTheNextOpen() throws IOException {
        for (var replacement : new String[] {"short", "a replacement longer than the old tail by far"}) {
            try (var channel = open("keep|old tail that goes")) {
                prepare(channel, 5, replacement); // crash: never applied
                assertTrue(Journal.recover(mbox, channel, false));
                assertEquals("keep|" + replacement, content());
                assertFalse(Files.exists(Journal.pathFor(mbox)));
            }
        }
    }

    @Test
    void applyingTwiceIsApplyingOnce() throws IOException {
        var random = new Random(42);
        for (int round = 0; round < 200; round++) {
            var old = "x".repeat(random.nextInt(50)) + "|" + "o".repeat(random.nextInt(50));
            var replacement = "n".repeat(random.nextInt(80));
            int from = old.indexOf('|');
            try (var channel = open(old)) {
                var journal = prepare(channel, from, replacement);
                // a crash in the middle of applying, which grows a file in one step before writing and cuts a
                // shrinking one after: some bytes written, or (growing) none before the file grew
                boolean grows = from + replacement.length() > old.length();
                if (!grows || random.nextBoolean()) {
                    if (grows) {
                        channel.write(ByteBuffer.wrap(new byte[1]), from + replacement.length() - 1);
                    }
                    int written = random.nextInt(replacement.length() + 1);
                    channel.write(ByteBuffer.wrap(replacement.substring(0, written).getBytes(StandardCharsets.ISO_8859_1)),
                            from);
                }
                assertTrue(Journal.recover(mbox, channel, false));
                assertEquals(old.substring(0, from) + replacement, content(), "round " + round);
                assertEquals(replacement.length(), journal.length());
            }
        }
    }

    @Test
    void anIncompleteJournalIsDroppedAndTheMboxLeftAlone() throws IOException {
        try (var channel = open("keep|old")) {
            prepare(channel, 5, "new bytes");
            var journal = Journal.pathFor(mbox);
            try (var j = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                j.truncate(j.size() - 3); // the crash came while the journal was written
            }
            assertFalse(Journal.recover(mbox, channel, false));
            assertEquals("keep|old", content());
            assertFalse(Files.exists(journal));
        }
    }

    @Test
    void whatAnotherProgramAppendedAfterTheCrashIsKept() throws IOException {
        var delivered = "From mta Mon Jan  5 10:00:00 2026\n\nnew mail\n";
        // shrinking: crashed before the cut, or after it
        for (boolean cut : new boolean[] {false, true}) {
            try (var channel = open("keep|a long old tail of messages\n")) {
                prepare(channel, 5, "short\n");
                channel.write(ByteBuffer.wrap("short\n".getBytes(StandardCharsets.ISO_8859_1)), 5);
                if (cut) {
                    channel.truncate(11);
                }
                channel.write(ByteBuffer.wrap(delivered.getBytes(StandardCharsets.ISO_8859_1)), channel.size());
                assertTrue(Journal.recover(mbox, channel, false));
                assertEquals("keep|short\n" + delivered, content(), "cut " + cut);
            }
        }
        // growing: crashed before the file grew, or after
        for (boolean grown : new boolean[] {false, true}) {
            try (var channel = open("keep|old\n")) {
                var longer = "a replacement much longer than what was there\n";
                prepare(channel, 5, longer);
                if (grown) {
                    channel.write(ByteBuffer.wrap(new byte[1]), 5 + longer.length() - 1);
                }
                channel.write(ByteBuffer.wrap(delivered.getBytes(StandardCharsets.ISO_8859_1)), channel.size());
                assertTrue(Journal.recover(mbox, channel, false));
                assertEquals("keep|" + longer + delivered, content(), "grown " + grown);
            }
        }
    }
}
