package org.roost.fts;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;

/**
 * The UIDs each mailbox has in the index, as of one reader: every search asks them (to tell what is not
 * indexed yet), and between two changes of the index they stay the same, so searches share one sorted
 * array instead of reading a million doc values each. Bounded in heap; the arrays are never changed.
 */
final class IndexedUids {
    /** A million-message mailbox takes 8 MB; this keeps a few of them, and many small ones. */
    private static final long MAX_BYTES = 64L * 1024 * 1024;
    private final Cache<Key, long[]> cache = Caffeine.newBuilder()
            .maximumWeight(MAX_BYTES)
            .weigher((Key key, long[] uids) -> 64 + uids.length * Long.BYTES)
            .build();

    /** What a reader of an index said of a mailbox; a reader that changed has another key. */
    private record Key(IndexReader.CacheKey reader, String mailbox) {}

    long[] of(IndexSearcher searcher, String mailbox) throws IOException {
        var helper = searcher.getIndexReader().getReaderCacheHelper();
        if (helper == null) {
            return read(searcher, mailbox);
        }
        var key = new Key(helper.getKey(), mailbox);
        var uids = cache.getIfPresent(key);
        if (uids == null) {
            uids = read(searcher, mailbox);
            cache.put(key, uids);
        }
        return uids;
    }

    private static long[] read(IndexSearcher searcher, String mailbox) throws IOException {
        return UserIndex.uids(searcher, new TermQuery(new Term(MessageDocument.MAILBOX, mailbox)));
    }
}
