package org.roost.fts;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.LongPredicate;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.TermQuery;
import org.roost.index.MailboxView;
import org.roost.mail.mime.SearchText;

/**
 * What one SEARCH asks the index about one mailbox, from one searcher: which messages may contain a
 * needle. The answer is a superset of what the matcher finds: the messages whose indexed text holds
 * every trigram of the needle, those indexed only in part, and every message the index does not hold
 * yet (added since, or never indexed). Close it when the search is done.
 */
public final class Lookup implements AutoCloseable {
    private final UserIndex index;
    private final IndexSearcher searcher;
    private final String mailbox;
    private final long[] indexed;

    Lookup(UserIndex index, IndexSearcher searcher, String mailbox) throws IOException {
        this.index = index;
        this.searcher = searcher;
        this.mailbox = mailbox;
        this.indexed = UserIndex.indexed(searcher, mailbox);
    }

    /**
     * The messages that may contain {@code needle} where {@code searched} looks, as a test of their
     * UIDs; empty when the index cannot narrow the search (a needle under three characters, a header
     * field it does not keep).
     */
    public Optional<LongPredicate> candidates(Searched searched, String needle) throws IOException {
        if (!searched.indexed()) {
            return Optional.empty();
        }
        var trigrams = searched.trigrams(SearchText.fold(needle));
        if (trigrams.isEmpty()) {
            return Optional.empty();
        }
        var mayHold = new BooleanQuery.Builder()
                .add(trigrams.get(), BooleanClause.Occur.SHOULD)
                .add(new TermQuery(MessageDocument.partial()), BooleanClause.Occur.SHOULD)
                .build();
        var query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MessageDocument.MAILBOX, mailbox)), BooleanClause.Occur.FILTER)
                .add(mayHold, BooleanClause.Occur.FILTER)
                .build();
        long[] hits = UserIndex.uids(searcher, query);
        return Optional.of(uid -> Arrays.binarySearch(hits, uid) >= 0 || Arrays.binarySearch(indexed, uid) < 0);
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
        index.release(searcher);
    }
}
