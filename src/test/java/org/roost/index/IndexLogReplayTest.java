package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;

/**
 * The log's changes are read again, a batch at a time, when the table is first needed: the table is the
 * one applying them all at once gives, however the runs of one kind fall across batches, and a log that
 * no longer holds what the replay found is damage.
 */
class IndexLogReplayTest {
    private static final long UID_VALIDITY = 42;
    private static final long GENERATION = 7;

    @TempDir
    Path dir;

    /** Writes an index of {@code count} messages and a log of {@code transactions}; returns the table they make. */
    private MessageTable write(int count, List<List<Change>> transactions) throws IOException {
        var names = new KeywordNames();
        var keys = new KeyArena();
        var b = MessageTable.builder(keys, names, count);
        for (int i = 0; i < count; i++) {
            b.add(i + 1, 0, 0, 1, StoredMessage.UNKNOWN_DATE.getEpochSecond(), StoredMessage.UNKNOWN_SIZE,
                    StoredMessage.UNKNOWN_SIZE, keys.add("m" + i));
        }
        var table = b.build();
        IndexFile.write(dir.resolve(IndexFormat.INDEX_FILE), UID_VALIDITY, count + 1, 1, null, GENERATION, table, false);
        var log = IndexLog.create(dir.resolve(IndexFormat.LOG_FILE), GENERATION, false, 0);
        long uidNext = count + 1;
        for (var changes : transactions) {
            for (var c : changes) {
                if (c instanceof Change.Flags f && f.keywords() != 0) {
                    names.mask(Set.of("$Later"));
                }
                uidNext = Math.max(uidNext, c.uid() + 1);
            }
            table = table.apply(changes);
            log.write(changes, names, new IndexLog.Commit(uidNext, 1_000_000, null, TableSummary.of(table)), false);
        }
        log.close();
        return table;
    }

    /** Long runs of each kind (several batches), short runs between, a message appended then expunged. */
    private static List<List<Change>> hostileTransactions(int count) {
        var random = new Random(21);
        var transactions = new ArrayList<List<Change>>();
        var facts = new ArrayList<Change>();
        for (int i = 1; i <= count; i++) {
            facts.add(new Change.Facts(i, 1_700_000_000L + i, 100 + i, 110 + i));
        }
        transactions.add(facts); // one transaction of more facts than a batch
        var flags = new ArrayList<Change>();
        for (int i = 0; i < MailboxIndex.Batches.BATCH * 2 + 17; i++) {
            flags.add(new Change.Flags(1 + random.nextInt(count), random.nextInt(32), random.nextInt(2), 2 + i));
        }
        transactions.add(flags);
        for (int t = 0; t < 50; t++) {
            long uid = count + 1 + t;
            transactions.add(List.of(new Change.Append(uid, 0, 0, 1_000 + t, 1_700_000_000L, 10, 12, "new" + t),
                    new Change.Flags(uid, 1, 0, 2_000 + t), new Change.Expunge(1 + random.nextInt(count)),
                    new Change.Facts(uid, 1_700_000_001L, 11, 13)));
        }
        transactions.add(List.of(new Change.Expunge(count + 3)));
        return transactions;
    }

    @Test
    void theLogReadInBatchesGivesTheTableOfItsChangesAppliedAtOnce() throws IOException {
        int count = MailboxIndex.Batches.BATCH + 1_000;
        var expected = write(count, hostileTransactions(count));
        var loaded = new MailboxIndex(dir, false, "test").load(UID_VALIDITY);
        var table = loaded.table();
        assertEquals(expected.count(), table.count());
        for (int i = 0; i < table.count(); i++) {
            var row = "row " + i;
            assertEquals(expected.uid(i), table.uid(i), row);
            assertEquals(expected.flags(i), table.flags(i), row);
            assertEquals(expected.keywords(i), table.keywords(i), row);
            assertEquals(expected.modseq(i), table.modseq(i), row);
            assertEquals(expected.internalDate(i), table.internalDate(i), row);
            assertEquals(expected.size(i), table.size(i), row);
            assertEquals(expected.virtualSize(i), table.virtualSize(i), row);
            assertEquals(expected.key(i), table.key(i), row);
        }
    }

    @Test
    void aLogCutShortAfterItsReplayIsDamage() throws IOException {
        write(100, hostileTransactions(100));
        var loaded = new MailboxIndex(dir, false, "test").load(UID_VALIDITY);
        try (var log = FileChannel.open(dir.resolve(IndexFormat.LOG_FILE), StandardOpenOption.WRITE)) {
            log.truncate(log.size() / 2);
        }
        var e = assertThrows(IndexFile.DamagedException.class, loaded::table);
        assertTrue(e.getMessage().contains("changed since it was replayed"), e.getMessage());
    }
}
