package org.roost.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.roost.mail.StoredMessage;

/**
 * Writes and reads back index files of a few thousand made-up messages at the server's start, so that the JIT has
 * compiled the reading of an index file's records before a client's first FETCH after a restart needs them: that
 * reading is a call per record, run interpreted until the JIT has compiled it, and a mailbox of 100,000 messages
 * then paid some 30 ms on its session's thread and as much again in the compiler threads for a FETCH of a few
 * messages. The warm-up's IMAP sessions cannot train it: their mailbox holds two messages.
 */
public final class IndexWarmUp {
    /** Rows per made-up table: two kinds read twice each call the per-record code some 40,000 times (compiled by then). */
    private static final int ROWS = 10_000;

    private IndexWarmUp() {}

    /** Writes the made-up index files into {@code dir} (made if need be; the caller deletes it) and reads them back. */
    public static void readRecords(Path dir) throws IOException {
        Files.createDirectories(dir);
        var file = dir.resolve(IndexFormat.INDEX_FILE);
        for (boolean varied : new boolean[] {false, true}) {
            var table = table(varied);
            IndexFile.write(file, 1, table.uid(ROWS - 1) + 1, ROWS, null, 1, table, false);
            for (int round = 0; round < 2; round++) {
                IndexFile.open(file).table();
            }
        }
    }

    /**
     * Rows as a mailbox of mail that arrived and was read holds them ({@code varied} false: every MODSEQ alike, no
     * keyword, every size known), or with every kind of value a record may hold, so that neither kind of mailbox
     * meets a path the compiled code has not seen.
     */
    private static MessageTable table(boolean varied) {
        var names = new KeywordNames();
        var keys = new KeyArena();
        var rows = MessageTable.builder(keys, names, ROWS);
        if (varied) {
            names.mask(java.util.Set.of("$Junk", "$Label1"));
        }
        for (int i = 0; i < ROWS; i++) {
            boolean odd = varied && i % 3 == 0;
            rows.add(i + 1, i % 5 == 0 ? 0 : i % 32, odd ? i % 4 : 0, varied ? 1 + i % 7 : 1,
                    odd ? MessageTable.UNKNOWN_DATE : 1_700_000_000L + i, 1_000 + i,
                    odd ? StoredMessage.UNKNOWN_SIZE : 1_024 + i, keys.add(Integer.toString(i)));
        }
        return rows.build();
    }
}
