package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UID arrays kept for searches live as long as the reader they were read from. */
class IndexedUidsTest {
    @TempDir
    Path dir;

    @Test
    void aReplacedReadersArraysAreDroppedWhenItCloses() throws IOException {
        var indexedUids = new IndexedUids();
        try (var index = UserIndex.open(dir, 16)) {
            long uid = 0;
            for (int round = 1; round <= 50; round++) {
                add(index, "INBOX", ++uid);
                add(index, "Sent", ++uid);
                index.refresh();
                var searcher = index.acquire();
                try {
                    assertEquals(round, indexedUids.of(searcher, "INBOX").length);
                    assertEquals(round, indexedUids.of(searcher, "Sent").length);
                    assertArrayEquals(indexedUids.of(searcher, "INBOX"), indexedUids.of(searcher, "INBOX"));
                    assertEquals(2, indexedUids.size(), "the open reader's two mailboxes");
                } finally {
                    index.release(searcher);
                }
            }
            add(index, "INBOX", ++uid);
            index.refresh();
            assertEquals(0, indexedUids.size(), "every array kept was of a reader now closed");
        }
    }

    private static void add(UserIndex index, String mailbox, long uid) throws IOException {
        var document = new Document();
        document.add(new StringField(MessageDocument.MAILBOX, mailbox, Field.Store.NO));
        document.add(new NumericDocValuesField(MessageDocument.UID, uid));
        index.put(MessageDocument.id(mailbox, uid), document);
    }
}
