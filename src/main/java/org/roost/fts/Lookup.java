package org.roost.fts;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.AlreadyClosedException;
import org.roost.index.MailboxView;
import org.roost.mail.mime.SearchText;

/**
 * What one SEARCH asks the index about one mailbox, from one searcher: which messages contain a needle
 * ({@link Candidates}). Close it when the search is done.
 */
public final class Lookup implements AutoCloseable {
    private static final long[] NONE = {};
    private final UserIndex index;
    private final IndexSearcher searcher;
    private final String mailbox;
    private final long[] indexed;
    private long[] partial;

    Lookup(UserIndex index, IndexSearcher searcher, String mailbox, IndexedUids indexedUids) throws IOException {
        this.index = index;
        this.searcher = searcher;
        this.mailbox = mailbox;
        this.indexed = indexedUids.of(searcher, mailbox);
    }

    /**
     * What the index knows of which messages contain {@code needle} where {@code searched} looks; empty
     * when it cannot tell (a needle under three characters, a header field it does not keep).
     */
    public Optional<Candidates> candidates(Searched searched, String needle) throws IOException {
        if (!searched.indexed()) {
            return Optional.empty();
        }
        String folded = SearchText.fold(needle);
        var holding = searched.holding(folded);
        if (holding.isEmpty()) {
            return Optional.empty();
        }
        long[] hits = UserIndex.uids(searcher, inMailbox(holding.get()));
        var mayHold = searched.mayHold(folded);
        long[] unsure = mayHold.isEmpty() ? NONE : UserIndex.uids(searcher, inMailbox(mayHold.get()));
        return Optional.of(new Candidates(hits, unsure, partial(), indexed, Searched.exact(folded)));
    }

    /**
     * How much each message resembles {@code needle} where {@code searched} looks (RFC 6203 FUZZY); empty
     * when the index cannot tell (a needle under three characters, a header field it does not keep).
     */
    public Optional<Resemblance> resemblance(Searched searched, String needle) throws IOException {
        if (!searched.indexed()) {
            return Optional.empty();
        }
        var resembling = searched.resembling(SearchText.fold(needle));
        if (resembling.isEmpty()) {
            return Optional.empty();
        }
        var found = new TreeMap<Long, Integer>();
        int asked = resembling.get().trigrams();
        UserIndex.forEachScored(searcher, inMailbox(resembling.get().query(), BooleanClause.Occur.MUST),
                ScoreMode.COMPLETE,
                (uid, shared) -> found.put(uid, Resemblance.relevancy(shared, asked)));
        long[] hits = found.keySet().stream().mapToLong(Long::longValue).toArray();
        int[] relevancies = found.values().stream().mapToInt(Integer::intValue).toArray();
        return Optional.of(new Resemblance(hits, relevancies, partial(), indexed));
    }

    /** The messages indexed in part (or not readable at all), which only the matcher can decide. */
    private long[] partial() throws IOException {
        if (partial == null) {
            partial = UserIndex.uids(searcher, inMailbox(new TermQuery(MessageDocument.partial())));
        }
        return partial;
    }

    private Query inMailbox(Query query) {
        return inMailbox(query, BooleanClause.Occur.FILTER);
    }

    /** {@code query} within this mailbox, scoring as it does when {@code occur} is MUST. */
    private Query inMailbox(Query query, BooleanClause.Occur occur) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MessageDocument.MAILBOX, mailbox)), BooleanClause.Occur.FILTER)
                .add(query, occur)
                .build();
    }

    /**
     * Whether the index holds as many messages as {@code view} has, up to its last UID: new mail has the
     * highest UIDs, so this notices what came since the index was last caught up.
     */
    boolean current(MailboxView view) {
        int count = view.count();
        return indexed.length == count && (count == 0 || indexed[count - 1] == view.uid(count));
    }

    @Override
    public void close() throws IOException {
        try {
            index.release(searcher);
        } catch (AlreadyClosedException closed) {
            // the index was closed to make room (or rebuilt) meanwhile: its readers went with it
        }
    }
}
