package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * The index header carries what SELECT reports, so that opening a large mailbox answers before
 * its records are read: the header's summary matches the records it was written with, a header
 * that disagrees with its records is caught when they are read, and a view answers SELECT's
 * questions from the summary exactly as it would by looking at every message.
 */
class IndexHeaderSummaryTest {
    @TempDir
    Path dir;

    /**
     * A summary carried over a flag change equals one summed over every row: seeded random changes of one to a few
     * rows of random tables, the first unseen row seen (with and without another unseen after it), a row before it
     * unseen, keywords added; where a keyword is taken off it is not carried over (another message may still have it).
     */
    @Test
    void aSummaryCarriedOverFlagChangesIsTheOneSummedOverEveryRow() {
        var random = new Random(31);
        int carried = 0;
        for (int round = 0; round < 2000; round++) {
            var table = randomTable(random, 1 + random.nextInt(40));
            var summary = TableSummary.of(table);
            var changes = new ArrayList<Change>();
            for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                int i = switch (random.nextInt(4)) {
                    case 0 -> Math.max(0, summary.firstUnseenRow());
                    case 1 -> table.count() - 1;
                    default -> random.nextInt(table.count());
                };
                int flags = random.nextBoolean() ? table.flags(i) ^ (1 << SystemFlag.SEEN.ordinal()) : random.nextInt(32);
                long keywords = random.nextInt(4) == 0 ? random.nextInt(8) : table.keywords(i);
                changes.add(new Change.Flags(table.uid(i), flags, keywords, 9));
            }
            var after = table.apply(changes);
            var rows = new java.util.BitSet();
            changes.forEach(c -> rows.set(table.indexOf(c.uid())));
            var made = summary.afterFlagChanges(table, after, rows);
            boolean keywordTakenOff = changes.stream()
                    .anyMatch(c -> (table.keywords(table.indexOf(c.uid())) & ~after.keywords(table.indexOf(c.uid()))) != 0);
            if (keywordTakenOff) {
                assertEquals(null, made, "round " + round);
            } else {
                assertEquals(TableSummary.of(after), made, "round " + round);
                carried++;
            }
        }
        assertTrue(carried > 1000, "carried " + carried);
    }

    private static MessageTable randomTable(Random random, int count) {
        var names = new KeywordNames();
        names.mask(Set.of("$Work", "Later", "x"));
        var keys = new KeyArena();
        var b = MessageTable.builder(keys, names, count);
        for (int i = 0; i < count; i++) {
            b.add(3L * i + 1 + random.nextInt(3), random.nextInt(32), random.nextInt(5) == 0 ? random.nextInt(8) : 0,
                    7, 1_700_000_000L + i, 100 + random.nextInt(900),
                    random.nextInt(4) == 0 ? StoredMessage.UNKNOWN_SIZE : 110 + random.nextInt(900), keys.add("key" + i));
        }
        return b.build();
    }

    @Test
    void theHeaderSummarizesTheRecordsItWasWrittenWith() throws IOException {
        var random = new Random(2026_11_29L);
        for (int round = 0; round < 50; round++) {
            var table = randomTable(random, random.nextInt(200));
            var file = dir.resolve("roost.index");
            IndexFile.write(file, 42, 10_000, 7, null, 1, table, false);
            var opened = IndexFile.open(file);
            assertEquals(TableSummary.of(table), opened.summary(), "round " + round);
            assertEquals(table.keywordNames().names(), opened.names().names());
            assertEquals(table.count(), opened.table().count());
        }
    }

    @Test
    void aHeaderThatDisagreesWithItsRecordsIsCaughtWhenTheyAreRead() throws IOException {
        var table = randomTable(new Random(5), 100);
        var file = dir.resolve("roost.index");
        IndexFile.write(file, 42, 10_000, 7, null, 1, table, false);
        var bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int unseen = bytes.getInt(92);
        bytes.putInt(92, unseen == 0 ? 1 : unseen - 1); // a hand edit that keeps the header checksum right
        bytes.putInt(124, IndexFormat.crc(bytes.array(), 0, 124));
        Files.write(file, bytes.array());
        var opened = IndexFile.open(file);
        var e = assertThrows(IndexFile.DamagedException.class, opened::table);
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    }

    @Test
    void selectAnswersFromTheSummaryAsFromEveryMessage() {
        var random = new Random(11);
        var names = new KeywordNames();
        var table = MessageTable.empty(new KeyArena(), names);
        for (int step = 0; step < 300; step++) {
            var changes = new ArrayList<Change>();
            long uid = step + 1;
            long keyword = random.nextInt(4) == 0 ? names.mask(Set.of("k" + random.nextInt(3))) : 0;
            changes.add(new Change.Append(uid, random.nextInt(2) == 0 ? 1 << SystemFlag.SEEN.ordinal() : 0, keyword,
                    step, 1_700_000_000L, 10, 12, "m" + uid));
            if (table.count() > 0 && random.nextBoolean()) {
                changes.add(new Change.Flags(table.uid(random.nextInt(table.count())), random.nextInt(32), 0, step));
            }
            table = table.apply(changes);
            var snapshot = new MailboxSnapshot(step, 1, uid + 1, step, table);
            var summary = snapshot.summary();
            int firstUnseen = 0;
            long mask = 0;
            for (int i = table.count() - 1; i >= 0; i--) {
                firstUnseen = table.hasFlag(i, SystemFlag.SEEN) ? firstUnseen : i + 1;
                mask |= table.keywords(i);
            }
            assertEquals(firstUnseen, summary.firstUnseenRow() + 1, "step " + step);
            assertEquals(mask, summary.keywordMask(), "step " + step);
            assertEquals(table.count(), summary.count());
            assertEquals(table.uid(table.count() - 1), summary.lastUid());
        }
    }

    @Test
    void implausibleSummariesAreRefused() {
        var good = new TableSummary(3, 9, 1, 2, 0b11, 300, 1);
        assertTrue(good.plausible(10, 2));
        for (var bad : List.of(new TableSummary(3, 9, 1, 4, 0, 300, 0), new TableSummary(3, 9, 3, 2, 0, 300, 0),
                new TableSummary(3, 10, 1, 2, 0, 300, 0), new TableSummary(3, 2, 1, 2, 0, 300, 0),
                new TableSummary(3, 9, -1, 2, 0, 300, 0), new TableSummary(0, 9, -1, 0, 0, 0, 0),
                new TableSummary(3, 9, 1, 2, 0b100, 300, 0), new TableSummary(3, 9, 1, 2, 0, -1, 0),
                new TableSummary(3, 9, 1, 2, 0, 300, 4), new TableSummary(3, 9, 1, 2, 0, 300, -1))) {
            assertEquals(false, bad.plausible(10, 2), bad.toString());
        }
    }
}
