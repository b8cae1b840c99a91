package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.TermQuery;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What one user's index gives its searches. */
class UserIndexTest {
    @TempDir
    Path dir;

    @Test
    void searchersKeepNoQueryCacheSoANeedleAskedAgainCostsWhatItCostOnce() throws IOException {
        try (var index = UserIndex.open(dir, 16)) {
            for (long uid = 1; uid <= 3; uid++) {
                var document = new Document();
                document.add(new StringField(MessageDocument.MAILBOX, "INBOX", Field.Store.NO));
                document.add(new NumericDocValuesField(MessageDocument.UID, uid));
                index.put(MessageDocument.id("INBOX", uid), document);
            }
            index.refresh();
            var searcher = index.acquire();
            try {
                assertNull(searcher.getQueryCache());
                assertArrayEquals(new long[] {1, 2, 3},
                        UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, "INBOX"))));
            } finally {
                index.release(searcher);
            }
        }
    }
}
