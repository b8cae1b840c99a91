package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.SystemFlag;

/**
 * Damaged index files (truncated, zero-filled, random bytes, flipped bits, wrong version, deleted,
 * swapped, grown) never make opening a mailbox fail, and never change what it holds: the same
 * messages with the same UIDs, flags and keywords as the mail files say.
 */
class IndexFuzzTest {
    private static final int ITERATIONS = 2000;
    private static final Logger INDEX_LOG = Logger.getLogger("org.roost.index");
    @TempDir
    Path root;
    private Level savedLevel;

    @BeforeEach
    void quiet() {
        savedLevel = INDEX_LOG.getLevel();
        INDEX_LOG.setLevel(Level.SEVERE); // one warning per damaged open would be thousands of lines
    }

    @AfterEach
    void restore() {
        INDEX_LOG.setLevel(savedLevel);
    }

    @Test
    void damagedIndexFilesNeverChangeWhatTheMailboxHolds() throws IOException {
        var persistence = new IndexPersistenceTest();
        persistence.root = root;
        var state = persistence.cache().open("u", "INBOX");
        IndexPersistenceTest.fill(state);
        state.reindex(); // the records in the index file, the flag changes below in the log
        IndexPersistenceTest.settle(state);
        for (int i = 0; i < 20; i++) {
            var m = state.current().message(i % state.current().count());
            state.setFlags(List.of(new MailboxState.FlagChange(m, Set.of(SystemFlag.values()[i % 5]),
                    i % 3 == 0 ? Set.of("k" + (i % 4)) : Set.of())));
        }
        var expected = IndexPersistenceTest.describe(state.current());
        var indexFile = root.resolve("u/" + IndexFormat.INDEX_FILE);
        var logFile = root.resolve("u/" + IndexFormat.LOG_FILE);
        var index = Files.readAllBytes(indexFile);
        var log = Files.readAllBytes(logFile);
        var random = new Random(4_2026_1128L);
        for (int i = 0; i < ITERATIONS; i++) {
            Files.write(indexFile, index);
            Files.write(logFile, log);
            int target = random.nextInt(3);
            if (target != 1) {
                damage(indexFile, index, random);
            }
            if (target != 0) {
                damage(logFile, log, random);
            }
            var reopened = persistence.cache().open("u", "INBOX");
            assertEquals(expected, IndexPersistenceTest.describe(reopened.current()), "iteration " + i);
        }
    }

    private static void damage(Path file, byte[] pristine, Random random) throws IOException {
        var bytes = pristine.clone();
        int at = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
        int span = 1 + random.nextInt(Math.max(1, Math.min(64, bytes.length - at)));
        switch (random.nextInt(9)) {
            case 0 -> Files.write(file, java.util.Arrays.copyOf(bytes, at));
            case 1 -> {
                java.util.Arrays.fill(bytes, at, Math.min(bytes.length, at + span), (byte) 0);
                Files.write(file, bytes);
            }
            case 2 -> {
                for (int j = at; j < Math.min(bytes.length, at + span); j++) {
                    bytes[j] = (byte) random.nextInt(256);
                }
                Files.write(file, bytes);
            }
            case 3 -> {
                bytes[at] ^= (byte) (1 << random.nextInt(8));
                Files.write(file, bytes);
            }
            case 4 -> {
                if (bytes.length > 8) {
                    bytes[4] = (byte) (2 + random.nextInt(200)); // another version
                }
                Files.write(file, bytes);
            }
            case 5 -> Files.deleteIfExists(file);
            case 6 -> {
                var grown = java.util.Arrays.copyOf(bytes, bytes.length + span);
                for (int j = bytes.length; j < grown.length; j++) {
                    grown[j] = (byte) random.nextInt(256);
                }
                Files.write(file, grown);
            }
            case 7 -> Files.write(file, new byte[random.nextInt(4096)]);
            default -> {
                var other = file.resolveSibling(file.getFileName().toString().endsWith(".log")
                        ? IndexFormat.INDEX_FILE : IndexFormat.LOG_FILE);
                Files.write(file, Files.exists(other) ? Files.readAllBytes(other) : new byte[0]);
            }
        }
    }
}
