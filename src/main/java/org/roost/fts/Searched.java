package org.roost.fts;

import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** What a SEARCH text key looks into, as the index keeps it (RFC 3501 §6.4.4 BODY, TEXT, HEADER and kin). */
public sealed interface Searched {
    /**
     * Enough trigrams to narrow a search to few messages; more add clauses and cost, never correctness,
     * since a message with all of a needle's trigrams is only a candidate.
     */
    int MAX_TRIGRAMS = 24;

    /** SEARCH BODY: the decoded text parts. */
    record Body() implements Searched {}

    /** SEARCH TEXT: the header lines and the decoded text parts. */
    record Text() implements Searched {}

    /** SEARCH HEADER, FROM, TO, CC, BCC, SUBJECT: one header field, when the index keeps it on its own. */
    record Header(String field) implements Searched {}

    /** The query for the documents that hold every trigram of the folded {@code needle}; empty when it has none. */
    default Optional<Query> trigrams(String foldedNeedle) {
        if (foldedNeedle.length() < TrigramTokenizer.LENGTH) {
            return Optional.empty();
        }
        var all = new BooleanQuery.Builder();
        var seen = new java.util.HashSet<String>();
        for (int i = 0; i + TrigramTokenizer.LENGTH <= foldedNeedle.length() && seen.size() < MAX_TRIGRAMS; i++) {
            String trigram = foldedNeedle.substring(i, i + TrigramTokenizer.LENGTH);
            if (seen.add(trigram)) {
                all.add(holding(trigram), BooleanClause.Occur.FILTER);
            }
        }
        return Optional.of(all.build());
    }

    private Query holding(String trigram) {
        return switch (this) {
            case Body b -> new TermQuery(new Term(MessageDocument.BODY, trigram));
            case Header h -> new TermQuery(new Term(MessageDocument.headerField(h.field().toLowerCase(Locale.ROOT)),
                    trigram));
            case Text t -> new BooleanQuery.Builder()
                    .add(new TermQuery(new Term(MessageDocument.BODY, trigram)), BooleanClause.Occur.SHOULD)
                    .add(new TermQuery(new Term(MessageDocument.HEADERS, trigram)), BooleanClause.Occur.SHOULD)
                    .build();
        };
    }

    /** Whether the index keeps what this key looks into. */
    default boolean indexed() {
        return !(this instanceof Header h) || MessageDocument.HEADER_FIELDS.contains(h.field().toLowerCase(Locale.ROOT));
    }
}
