package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An index keeps the form its text was folded in: one written before SEARCH compared with i;unicode-casemap
 * (no form recorded) is refused, so it is rebuilt from the mail rather than missing what the matcher finds.
 */
class TextFormTest {
    @TempDir
    Path dir;

    @Test
    void anIndexOfAnotherTextFormIsRefusedAndOneOfItsOwnOpens() throws IOException {
        var old = dir.resolve("old");
        try (var directory = FSDirectory.open(old); var writer = new IndexWriter(directory, new IndexWriterConfig())) {
            writer.addDocument(new Document());
            writer.commit();
        }
        var refused = assertThrows(IOException.class, () -> UserIndex.open(old, 16));
        assertTrue(refused.getMessage().contains("not i;unicode-casemap"), refused.getMessage());
        var own = dir.resolve("own");
        try (var index = UserIndex.open(own, 16)) {
            index.put(new Term(MessageDocument.ID, "1"), new Document());
            index.commit();
        }
        UserIndex.open(own, 16).close();
    }
}
