package org.roost.fts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The UIDs each mailbox has in the index, as of one reader: every search asks them (to tell what is not
 * indexed yet), and between two changes of the index they stay the same, so searches share one sorted
 * array instead of reading a million doc values each. Bounded in heap; the arrays are never changed. A
 * reader's arrays go when the reader is closed (a refresh replaced it): no search can ask them again, and
 * left to the weight bound they would fill it with dead arrays under a steady delivery load.
 */
final class IndexedUids {
    /** A million-message mailbox takes 8 MB; this keeps a few of them, and many small ones. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private final Cache<Key, long[]> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((Key key, long[] uids) -> 64 + uids.length * Long.BYTES)
            .build();
    /** The readers told to report their closing here: one listener a reader, not one a lookup. */
    private final Set<IndexReader.CacheKey> watched = ConcurrentHashMap.newKeySet();

    /** What a reader of an index said of a mailbox; a reader that changed has another key. */
    private record Key(IndexReader.CacheKey reader, String mailbox) {}

    /** The UIDs of {@code mailbox} in the index {@code searcher} reads; the caller holds the searcher open. */
    long[] of(IndexSearcher searcher, String mailbox) throws IOException {
        var helper = searcher.getIndexReader().getReaderCacheHelper();
        if (helper == null) {
            return read(searcher, mailbox);
        }
        var key = new Key(helper.getKey(), mailbox);
        var uids = cache.getIfPresent(key);
        if (uids == null) {
            uids = read(searcher, mailbox);
            if (watched.add(key.reader())) {
                helper.addClosedListener(this::forget);
            }
            cache.put(key, uids);
        }
        return uids;
    }

    /** How many arrays are kept. */
    long size() {
        cache.cleanUp();
        return cache.estimatedSize();
    }

    private void forget(IndexReader.CacheKey reader) {
        cache.asMap().keySet().removeIf(key -> key.reader() == reader);
        watched.remove(reader);
    }

    private static long[] read(IndexSearcher searcher, String mailbox) throws IOException {
        return UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, mailbox)));
    }
}
