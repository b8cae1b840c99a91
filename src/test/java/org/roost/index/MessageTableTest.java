package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Tables share their arrays (appends write past the end older tables see; the keyword and MODSEQ
 * columns appear lazily): a seeded random history checks every table against a plain model, and
 * checks that no later change alters an earlier table.
 */
class MessageTableTest {
    record Row(int flags, long keywords, long modseq, long date, long size, String key) {}

    @Test
    void everyTableOfARandomHistoryStaysWhatItWas() {
        var random = new Random(77);
        var keys = new KeyArena();
        var names = new KeywordNames();
        names.mask(java.util.Set.of("a", "b", "c"));
        var table = MessageTable.empty(keys, names);
        var model = new TreeMap<Long, Row>();
        var history = new ArrayList<MessageTable>();
        var models = new ArrayList<TreeMap<Long, Row>>();
        long nextUid = 1;
        long modseq = 1;
        for (int step = 0; step < 3000; step++) {
            var changes = new ArrayList<Change>();
            int op = random.nextInt(10);
            modseq += random.nextInt(3) == 0 ? 1 : 0;
            if (op < 5 || model.isEmpty()) {
                for (int k = 0, n = 1 + random.nextInt(4); k < n; k++) {
                    long uid = nextUid++;
                    long kw = random.nextInt(4) == 0 ? random.nextInt(8) : 0;
                    var row = new Row(random.nextInt(32), kw, modseq, 1_700_000_000L + random.nextInt(1000),
                            random.nextInt(5000), "k" + uid + "x".repeat(random.nextInt(40)));
                    changes.add(new Change.Append(uid, row.flags(), row.keywords(), row.modseq(), row.date(), row.size(),
                            row.size() + 10, row.key()));
                    model.put(uid, row);
                }
            } else if (op < 8) {
                var uids = new ArrayList<>(model.keySet());
                for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                    long uid = uids.get(random.nextInt(uids.size()));
                    var old = model.get(uid);
                    var row = new Row(random.nextInt(32), random.nextInt(3) == 0 ? random.nextInt(8) : old.keywords(),
                            modseq, old.date(), old.size(), old.key());
                    changes.add(new Change.Flags(uid, row.flags(), row.keywords(), modseq));
                    model.put(uid, row);
                }
            } else {
                var uids = new ArrayList<>(model.keySet());
                long uid = uids.get(random.nextInt(uids.size()));
                changes.add(new Change.Expunge(uid));
                model.remove(uid);
            }
            table = table.apply(changes);
            history.add(table);
            models.add(new TreeMap<>(model));
            if (step % 100 == 0 || step == 2999) {
                for (int h = 0; h < history.size(); h += 1 + random.nextInt(20)) {
                    check(models.get(h), history.get(h), "table " + h + " after step " + step);
                }
            }
        }
        check(model, table, "last");
    }

    /**
     * Over a random history of appends, flag and keyword changes and expunges, every later table compared with an
     * earlier one: where rowsWithOtherFlags answers, the rows hold the same messages and its rows are exactly those
     * whose flags or keywords differ (the first and the last row included); where the rows may hold other messages
     * (an expunge between them) it does not answer.
     */
    @Test
    void rowsWithOtherFlagsAreExactlyTheChangedRowsOfTheSameMessages() {
        var random = new Random(78);
        var names = new KeywordNames();
        names.mask(java.util.Set.of("a", "b", "c"));
        var history = new ArrayList<MessageTable>();
        var table = MessageTable.empty(new KeyArena(), names);
        long nextUid = 1;
        for (int step = 0; step < 600; step++) {
            var changes = new ArrayList<Change>();
            int op = random.nextInt(10);
            if (op < 3 || table.count() == 0) {
                for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                    changes.add(new Change.Append(nextUid++, random.nextInt(32), 0, 1, 1_700_000_000L, 10, 12, "k"));
                }
            } else if (op < 9) {
                for (int k = 0, n = 1 + random.nextInt(3); k < n; k++) {
                    int row = switch (random.nextInt(4)) {
                        case 0 -> 0;
                        case 1 -> table.count() - 1;
                        default -> random.nextInt(table.count());
                    };
                    long keywords = random.nextInt(3) == 0 ? random.nextInt(8) : table.keywords(row);
                    changes.add(new Change.Flags(table.uid(row), random.nextInt(32), keywords, 2));
                }
            } else {
                changes.add(new Change.Expunge(table.uid(random.nextInt(table.count()))));
            }
            table = table.apply(changes);
            history.add(table);
        }
        int answered = 0;
        for (int later = 0; later < history.size(); later += 7) {
            for (int earlier = 0; earlier <= later; earlier += 1 + random.nextInt(5)) {
                var before = history.get(earlier);
                var after = history.get(later);
                var rows = before.rowsWithOtherFlags(after, before.count());
                if (rows == null) {
                    continue;
                }
                answered++;
                for (int i = 0; i < before.count(); i++) {
                    assertEquals(before.uid(i), after.uid(i), "row " + i);
                    boolean differs = before.flags(i) != after.flags(i) || before.keywords(i) != after.keywords(i);
                    assertEquals(differs, rows.get(i), "row " + i + " of table " + earlier + " against " + later);
                }
                assertEquals(-1, rows.nextSetBit(before.count()));
            }
        }
        org.junit.jupiter.api.Assertions.assertTrue(answered > 100, "answered " + answered);
    }

    private static void check(TreeMap<Long, Row> model, MessageTable table, String what) {
        assertEquals(model.size(), table.count(), what);
        int i = 0;
        for (var e : model.entrySet()) {
            var row = e.getValue();
            assertEquals(List.of(e.getKey(), row.flags(), row.keywords(), row.modseq(), row.date(), row.size(),
                            row.size() + 10, row.key()),
                    List.of(table.uid(i), table.flags(i), table.keywords(i), table.modseq(i), table.internalDate(i),
                            table.size(i), table.virtualSize(i), table.key(i)), what + " row " + i);
            i++;
        }
    }
}
