package org.roost.fts;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.SearcherFactory;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.FSDirectory;
import org.roost.index.MailboxView;

/**
 * One user's Lucene index: written by the indexer, read by searches through near-real-time searchers,
 * which see what was added up to their last {@link #refresh} (the indexer's, at most every
 * {@code fts.refreshInterval}), committed or not; a search reads what they do not see yet. What a crash loses of the uncommitted
 * part is simply not indexed, and searches scan what is not indexed. Writes, commits and closing take
 * the index's monitor, so an index is never closed in the middle of a write or a commit (Lucene refuses
 * a close during a commit): a write that comes after the close fails with {@code AlreadyClosedException}.
 */
final class UserIndex implements Closeable {
    private final Path path;
    private final FSDirectory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** How far the indexer brought each mailbox (by key) in this index; gone with the index when it closes. */
    private final Map<String, CaughtUp> caughtUp = new ConcurrentHashMap<>();
    /** Whether the index was written to since its searchers were last reopened. */
    private volatile boolean unseenWrites;
    /** When the searchers were last reopened (System.nanoTime). */
    private volatile long reopened = System.nanoTime();

    /**
     * The index held the first {@code count} messages of a mailbox, the last of them {@code lastUid}, and no
     * other: a mailbox whose message {@code count} still has that UID lost none of them (UIDs only grow, so
     * none can take a removed one's place), and what follows it is all that is new.
     */
    record CaughtUp(int count, long lastUid) {
        static CaughtUp of(MailboxView view) {
            int count = view.count();
            return new CaughtUp(count, count == 0 ? 0 : view.uid(count));
        }

        boolean prefixOf(MailboxView view) {
            return view.count() >= count && (count == 0 || view.uid(count) == lastUid);
        }
    }

    /**
     * Searchers without Lucene's query cache: a SEARCH asks its needle once, and the cache would spend the
     * time of a search building a set over every document for a needle asked again (and keep it on the heap).
     */
    private static final SearcherFactory UNCACHED = new SearcherFactory() {
        @Override
        public IndexSearcher newSearcher(IndexReader reader, IndexReader previous) {
            var searcher = new IndexSearcher(reader);
            searcher.setQueryCache(null);
            return searcher;
        }
    };

    private UserIndex(Path path, FSDirectory directory, IndexWriter writer) throws IOException {
        this.path = path;
        this.directory = directory;
        this.writer = writer;
        this.searchers = new SearcherManager(writer, UNCACHED);
    }

    /**
     * The form of the text the index holds, kept in each commit: an index whose text was folded another way
     * (before SEARCH used i;unicode-casemap, RFC 5051) would miss what the matcher finds, so it is not opened.
     */
    static final Map.Entry<String, String> TEXT_FORM = Map.entry("textForm", "i;unicode-casemap");

    /**
     * Below this size Lucene's merge policy takes segments as equal: with its default (16 MB, more than most
     * users' whole index) the segments of each reopen were merged as peers of the ones already merged, so the
     * index was rewritten again and again (a quarter of the CPU under the mixed load); at 256 kB a segment is
     * merged with others of its size, and each message is rewritten a few times in all.
     */
    private static final double FLOOR_SEGMENT_MB = 0.25;

    /**
     * Opens (or creates) the index in {@code path}; an index of another {@link #TEXT_FORM} is an
     * {@link IOException}, which has it rebuilt from the mail.
     */
    static UserIndex open(Path path, double ramBufferMb) throws IOException {
        Files.createDirectories(path);
        var directory = FSDirectory.open(path);
        try {
            if (DirectoryReader.indexExists(directory)) {
                var form = SegmentInfos.readLatestCommit(directory).getUserData().get(TEXT_FORM.getKey());
                if (!TEXT_FORM.getValue().equals(form)) {
                    throw new IOException("its text is folded as " + form + ", not " + TEXT_FORM.getValue());
                }
            }
            var config = new IndexWriterConfig(TrigramTokenizer.ANALYZER)
                    .setMergePolicy(new TieredMergePolicy().setFloorSegmentMB(FLOOR_SEGMENT_MB))
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(ramBufferMb)
                    .setCommitOnClose(true);
            var writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(List.of(TEXT_FORM));
            return new UserIndex(path, directory, writer);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
    }

    Path path() {
        return path;
    }

    /** Adds or replaces the document of one message. */
    synchronized void put(Term id, Document document) throws IOException {
        writer.updateDocument(id, document);
        unseenWrites = true;
    }

    synchronized void delete(Term... ids) throws IOException {
        writer.deleteDocuments(ids);
        unseenWrites = true;
    }

    /** How far the mailbox {@code key} was caught up, if it was since this index was opened. */
    CaughtUp caughtUp(String key) {
        return caughtUp.get(key);
    }

    /** Whether the indexer added every message of {@code view} (visible to searches or not yet). */
    boolean caughtUpWith(String key, MailboxView view) {
        var mark = caughtUp.get(key);
        return mark != null && mark.count() == view.count() && mark.prefixOf(view);
    }

    void caughtUp(String key, CaughtUp mark) {
        caughtUp.put(key, mark);
    }

    /**
     * Removes the documents of the mailbox {@code name} under any other UIDVALIDITY than {@code key} has:
     * its UIDs name other messages now.
     */
    synchronized void deleteOtherGenerations(String name, String key) throws IOException {
        caughtUp.keySet().removeIf(other -> other.startsWith(FullTextSearch.mailboxPrefix(name)) && !other.equals(key));
        writer.deleteDocuments(new BooleanQuery.Builder()
                .add(new PrefixQuery(new Term(MessageDocument.MAILBOX, FullTextSearch.mailboxPrefix(name))),
                        BooleanClause.Occur.FILTER)
                .add(new TermQuery(new Term(MessageDocument.MAILBOX, key)), BooleanClause.Occur.MUST_NOT)
                .build());
        unseenWrites = true;
    }

    /**
     * Removes the documents of the mailbox {@code key} whose UID is not among {@code present} (ascending),
     * without reading the index: Lucene applies it to what the index holds when it next writes a segment.
     */
    synchronized void keepOnly(String key, long[] present) throws IOException {
        writer.deleteDocuments(new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MessageDocument.MAILBOX, key)), BooleanClause.Occur.FILTER)
                .add(NumericDocValuesField.newSlowSetQuery(MessageDocument.UID, present), BooleanClause.Occur.MUST_NOT)
                .build());
        unseenWrites = true;
    }

    /** Makes what was added durable and visible to the searchers that follow. */
    synchronized void commit() throws IOException {
        writer.commit();
        unseenWrites = false;
        if (searchers.maybeRefresh()) {
            reopened = System.nanoTime();
        } else {
            unseenWrites = true; // another thread was reopening them: perhaps from before the commit
        }
    }

    /** Writes what is buffered to the index's files (durable at the next commit), without reopening the searchers. */
    synchronized void flush() throws IOException {
        writer.flush();
    }

    /** What the writer holds in memory for its next segment. */
    long bufferedBytes() {
        return writer.ramBytesUsed();
    }

    /**
     * Makes what was added visible to the searchers that follow (durable at the next commit): writes it as
     * a segment and reopens the reader over it.
     */
    void refresh() throws IOException {
        unseenWrites = false; // before the reopen: a write during it marks the index again
        searchers.maybeRefreshBlocking();
        reopened = System.nanoTime();
    }

    /**
     * Reopens the searchers for a search when the index was written to since they were last reopened, unless
     * that was less than {@code minNanos} ago: each reopen writes a segment (merged later), so under delivery
     * alone none is written until a search wants one (or a commit), and many searches share one.
     */
    void refreshForSearch(long minNanos) throws IOException {
        if (unseenWrites && System.nanoTime() - reopened >= minNanos) {
            refresh();
        }
    }

    /**
     * A searcher over what was added up to the last {@link #refresh}; {@link #release} it. A search does not
     * refresh: what is missing from it is read by the matcher, as any message the index cannot vouch for.
     */
    IndexSearcher acquire() throws IOException {
        return searchers.acquire();
    }

    void release(IndexSearcher searcher) throws IOException {
        searchers.release(searcher);
    }

    /** The UIDs of the documents {@code query} finds, ascending. */
    static long[] uids(IndexSearcher searcher, Query query) throws IOException {
        var out = new UidList();
        forEachUid(searcher, query, out);
        return out.sorted();
    }

    private static void forEachUid(IndexSearcher searcher, Query query, LongConsumer out) throws IOException {
        forEachScored(searcher, query, ScoreMode.COMPLETE_NO_SCORES, (uid, score) -> out.accept(uid));
    }

    /** Each UID {@code query} finds, with its score when {@code mode} keeps scores. */
    static void forEachScored(IndexSearcher searcher, Query query, ScoreMode mode, ScoredUid out) throws IOException {
        var weight = searcher.createWeight(searcher.rewrite(query), mode, 1f);
        for (var leaf : searcher.getIndexReader().leaves()) {
            var scorer = weight.scorer(leaf);
            if (scorer == null) {
                continue;
            }
            var live = leaf.reader().getLiveDocs();
            var uids = DocValues.getNumeric(leaf.reader(), MessageDocument.UID);
            var docs = scorer.iterator();
            for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                if ((live == null || live.get(doc)) && uids.advanceExact(doc)) {
                    out.accept(uids.longValue(), mode.needsScores() ? scorer.score() : 0f);
                }
            }
        }
    }

    /** Takes a found document's UID and score. */
    @FunctionalInterface
    interface ScoredUid {
        void accept(long uid, float score) throws IOException;
    }

    /** Reads every file of the index against its checksum; throws when one is damaged. */
    void verify() throws IOException {
        var searcher = acquire();
        try {
            for (var leaf : searcher.getIndexReader().leaves()) {
                leaf.reader().checkIntegrity();
            }
        } finally {
            release(searcher);
        }
    }

    /** Bytes on disk and buffered for the next segment: what the index will take once written. */
    long bytes() throws IOException {
        return sizeBytes() + writer.ramBytesUsed();
    }

    /** Bytes on disk. */
    long sizeBytes() throws IOException {
        long total = 0;
        for (String file : directory.listAll()) {
            try {
                total += directory.fileLength(file);
            } catch (IOException gone) {
                // merged away while counting
            }
        }
        return total;
    }

    /** False once closed, also by Lucene itself after a write failed (a full disk, an interrupted write). */
    boolean isOpen() {
        return writer.isOpen();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            searchers.close();
            writer.close();
        } finally {
            directory.close();
        }
    }

    /** Closes the index without committing what was added since the last commit: its files are deleted next. */
    synchronized void abandon() throws IOException {
        try {
            searchers.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }

    /** A growing array of UIDs. */
    private static final class UidList implements LongConsumer {
        private long[] values = new long[64];
        private int size;

        @Override
        public void accept(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long[] sorted() {
            var out = Arrays.copyOf(values, size);
            Arrays.sort(out);
            return out;
        }
    }
}
