package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writers' buffers stay within one bound over all of them, now that no periodic reopen writes them out. */
class WriteBuffersTest {
    private static final FieldType POSITIONED = positioned();
    @TempDir
    Path dir;
    private final List<UserIndex> indexes = new ArrayList<>();
    private final Random random = new Random(13);

    @AfterEach
    void close() throws IOException {
        for (var index : indexes) {
            if (index.isOpen()) {
                index.close();
            }
        }
    }

    @Test
    void theLargestBuffersAreWrittenOutUntilAllOfThemFitTheBound() throws IOException {
        var sizes = new int[] {10, 40, 25}; // messages put into each index
        for (int i = 0; i < sizes.length; i++) {
            fill(open("u" + i), sizes[i]);
        }
        long largest = indexes.get(1).bufferedBytes();
        long bound = buffered() - largest; // room for all but the largest
        assertTrue(largest > indexes.get(2).bufferedBytes() && largest > indexes.get(0).bufferedBytes());
        var buffers = new WriteBuffers(bound);
        indexes.forEach(buffers::add);
        buffers.bound();
        assertTrue(buffered() <= bound, buffered() + " bytes buffered, over " + bound);
        assertEquals(0, indexes.get(1).bufferedBytes(), "the largest is written out first");
        assertTrue(indexes.get(0).bufferedBytes() > 0 && indexes.get(2).bufferedBytes() > 0,
                "the others are kept: the largest made room enough");
    }

    @Test
    void indexesClosedMeanwhileAreLeftAloneAndWhatFitsIsKept() throws IOException {
        var closed = open("gone");
        fill(closed, 5);
        closed.close();
        var kept = open("kept");
        fill(kept, 5);
        long held = kept.bufferedBytes();
        var buffers = new WriteBuffers(held);
        buffers.add(closed);
        buffers.add(kept);
        buffers.bound();
        assertEquals(held, kept.bufferedBytes(), "within the bound: nothing written out");
        buffers.add(open("empty"));
        fill(kept, 1);
        buffers.bound();
        assertEquals(0, kept.bufferedBytes(), "one message more than the bound: written out");
    }

    private long buffered() {
        return indexes.stream().filter(UserIndex::isOpen).mapToLong(UserIndex::bufferedBytes).sum();
    }

    private UserIndex open(String user) throws IOException {
        var index = UserIndex.open(dir.resolve(user), 64);
        indexes.add(index);
        return index;
    }

    /** Puts {@code messages} documents of random text, with positions as the indexer's are. */
    private void fill(UserIndex index, int messages) throws IOException {
        for (int m = 0; m < messages; m++) {
            var text = new StringBuilder();
            for (int c = 0; c < 2000; c++) {
                text.append((char) ('a' + random.nextInt(26)));
            }
            long uid = random.nextLong(1, Long.MAX_VALUE);
            var document = new Document();
            document.add(new StringField(MessageDocument.MAILBOX, "INBOX", Field.Store.NO));
            document.add(new NumericDocValuesField(MessageDocument.UID, uid));
            document.add(new Field(MessageDocument.BODY, text.toString(), POSITIONED));
            index.put(MessageDocument.id("INBOX", uid), document);
        }
    }

    private static FieldType positioned() {
        var type = new FieldType();
        type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS);
        type.setTokenized(true);
        type.freeze();
        return type;
    }
}
