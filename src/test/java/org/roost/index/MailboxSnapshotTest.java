package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.lang.ref.WeakReference;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/** A snapshot whose records are read on demand lets go of what read them. */
class MailboxSnapshotTest {
    /** Stands for what the reader of an index holds: the log's changes, the file's header. */
    private static final class Reader implements Callable<MessageTable> {
        @Override
        public MessageTable call() {
            return MessageTable.empty(new KeyArena(), new KeywordNames());
        }
    }

    @Test
    void theReaderIsDroppedOnceTheRecordsAreRead() throws InterruptedException {
        var reader = new Reader();
        var gone = new WeakReference<>(reader);
        var snapshot = new MailboxSnapshot(1, 1, 1, 1, reader, new TableSummary(0, 0, -1, 0, 0, 0, 0),
                new KeywordNames());
        reader = null;
        assertEquals(0, snapshot.table().count());
        for (int i = 0; i < 50 && gone.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertNull(gone.get(), "the snapshot still holds its reader (and all the reader holds)");
        assertEquals(0, snapshot.table().count());
    }
}
