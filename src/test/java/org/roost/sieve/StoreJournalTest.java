package org.roost.sieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.sieve.StoreJournal.Made;

/**
 * The journal a delivery that stores its message more than once keeps of the stores it made: found again by the
 * same delivery within its window, by no other; bounded; and a damaged file (a cut write, another program's bytes)
 * never blocks a delivery and never reads as a store that was not made.
 */
@Timeout(60)
class StoreJournalTest {
    private static final Duration WINDOW = Duration.ofDays(5);
    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path home;
    private Instant now = Instant.parse("2026-12-07T02:00:00Z");
    private final Logger logger = Logger.getLogger(StoreJournal.class.getName());
    private final List<String> logged = new ArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    private StoreJournal journal(String key, int maxEntries) {
        return new StoreJournal(home, key, true, WINDOW, maxEntries, Clock.fixed(now, ZoneOffset.UTC));
    }

    private StoreJournal journal() {
        return journal(KEY, 10_000);
    }

    private Path file() {
        return home.resolve(StoreJournal.FILE);
    }

    @Test
    void aRetriedDeliveryFindsTheStoresItMadeAndNoOtherDeliveryDoes() {
        journal().record("Lists/dev", 7);
        journal().record("INBOX", 12);
        journal("ffffffffffffffffffffffffffffffff", 10_000).record("INBOX", 13);
        assertEquals(List.of(new Made("Lists/dev", 7), new Made("INBOX", 12)), journal().made());
        assertEquals(List.of(), journal("00000000000000000000000000000000", 10_000).made());
    }

    @Test
    void mailboxNamesOfAnyKindComeBackAsWritten() {
        var names = List.of("with space", "Entwürfe", "a%2Fb", "tab\there", "&AKM-", "line\r\nbreak");
        for (int i = 0; i < names.size(); i++) {
            journal().record(names.get(i), i + 1);
        }
        assertEquals(names, journal().made().stream().map(Made::mailbox).toList());
    }

    @Test
    void afterTheWindowTheSameMessageIsANewDelivery() {
        journal().record("INBOX", 1);
        now = now.plus(WINDOW).minusSeconds(1);
        assertEquals(1, journal().made().size());
        now = now.plusSeconds(1);
        assertEquals(List.of(), journal().made());
    }

    @Test
    void theFileIsBoundedToTheNewestEntries() throws Exception {
        for (int i = 1; i <= 200; i++) {
            journal(KEY, 16).record("box" + i, i);
        }
        var made = journal(KEY, 16).made();
        assertEquals(16, made.size());
        assertEquals(new Made("box200", 200), made.getLast());
        assertEquals(16, Files.readAllLines(file()).size());
    }

    @Test
    void expiredLinesAreDroppedOnceTheyAreMostOfTheFile() throws Exception {
        for (int i = 1; i <= 100; i++) {
            journal().record("old" + i, i);
        }
        now = now.plus(WINDOW);
        journal().record("new", 1);
        assertEquals(List.of(new Made("new", 1)), journal().made());
        assertEquals(1, Files.readAllLines(file()).size());
    }

    @Test
    void aWriteCutShortByACrashIsLeftOutAndTheNextStoreIsNotJoinedToIt() throws Exception {
        journal().record("A", 1);
        var whole = Files.readString(file(), StandardCharsets.US_ASCII);
        Files.writeString(file(), whole + whole.substring(0, 30), StandardCharsets.US_ASCII); // a cut second line
        journal().record("B", 2);
        assertEquals(List.of(new Made("A", 1), new Made("B", 2)), journal().made());
        assertTrue(logged.stream().anyMatch(m -> m.contains("damaged lines left out")), logged.toString());
        assertEquals(2, Files.readAllLines(file()).size(), "rewritten without the damaged line");
    }

    @Test
    void anotherProgramsBytesAreIgnoredAndTheJournalStartsAgain() throws Exception {
        var garbage = new byte[50_000];
        new Random(18).nextBytes(garbage);
        Files.write(file(), garbage);
        assertEquals(List.of(), journal().made());
        journal().record("A", 1);
        assertEquals(List.of(new Made("A", 1)), journal().made());
    }

    @Test
    void aLineTooLongForAJournalIsDamage() throws Exception {
        Files.writeString(file(), "1".repeat(10 * StoreJournal.MAX_LINE) + "\n");
        journal().record("A", 1);
        assertEquals(List.of(new Made("A", 1)), journal().made());
    }

    @Test
    void aJournalThatCannotBeReadOrWrittenNeverStopsADelivery() throws Exception {
        Files.createDirectories(file()); // a directory where the file should be
        assertEquals(List.of(), journal().made());
        journal().record("A", 1);
        assertTrue(logged.stream().anyMatch(m -> m.contains("cannot be read")), logged.toString());
        assertTrue(logged.stream().anyMatch(m -> m.contains("cannot be written")), logged.toString());
    }

    /** Seeded damage of every kind: reading never fails, and never yields a store that was not recorded. */
    @Test
    void damagedBytesNeverReadAsAStoreThatWasNotMade() throws Exception {
        var random = new Random(2026_12_07);
        var recorded = new HashSet<Made>();
        for (int i = 1; i <= 40; i++) {
            var made = new Made("box-" + i, i);
            journal().record(made.mailbox(), made.uid());
            recorded.add(made);
        }
        var clean = Files.readAllBytes(file());
        for (int round = 0; round < 300; round++) {
            var bytes = clean.clone();
            switch (round % 3) {
                case 0 -> bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                default -> bytes[random.nextInt(bytes.length)] = (byte) "0123456789abcdef \n%"
                        .charAt(random.nextInt(19));
            }
            Files.write(file(), bytes);
            var found = journal().made();
            assertTrue(recorded.containsAll(found), "round " + round + ": " + found);
            assertTrue(found.size() >= 40 - 2 || round % 3 == 1, "one damaged byte costs at most two lines");
        }
    }

    @Test
    void theSameDeliveryIsTheSameUserSenderRecipientAndBytes() throws Exception {
        MessageSource message = () -> new ByteArrayInputStream("Subject: x\r\n\r\nbody\r\n".getBytes());
        MessageSource other = () -> new ByteArrayInputStream("Subject: x\r\n\r\nbody!\r\n".getBytes());
        var key = StoreJournal.key("bob", "s@x.y", "bob@x.y", message);
        assertEquals(key, StoreJournal.key("bob", "s@x.y", "bob@x.y", message));
        assertNotEquals(key, StoreJournal.key("bob", "s@x.y", "bob@x.y", other));
        assertNotEquals(key, StoreJournal.key("bob", "t@x.y", "bob@x.y", message));
        assertNotEquals(key, StoreJournal.key("bob", "s@x.y", "bob+lists@x.y", message));
        assertNotEquals(key, StoreJournal.key("carol", "s@x.y", "bob@x.y", message));
    }
}
