package org.roost.fts;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;

/** What a SEARCH text key looks into, as the index keeps it (RFC 3501 §6.4.4 BODY, TEXT, HEADER and kin). */
public sealed interface Searched {
    /**
     * The most trigrams of a needle asked as one phrase: a needle up to 130 characters is found exactly;
     * a longer one by its first 130 characters, and the matcher decides.
     */
    int MAX_TRIGRAMS = 128;
    /** The characters of those trigrams: the most of a needle the index is asked. */
    int MAX_NEEDLE_CHARS = MAX_TRIGRAMS + TrigramTokenizer.LENGTH - 1;

    /** SEARCH BODY: the decoded text parts. */
    record Body() implements Searched {}

    /** SEARCH TEXT: the header lines and the decoded text parts. */
    record Text() implements Searched {}

    /** SEARCH HEADER, FROM, TO, CC, BCC, SUBJECT: one header field, when the index keeps it on its own. */
    record Header(String field) implements Searched {}

    /**
     * The documents whose text holds the folded {@code needle}: its trigrams one after the other, in one
     * field. Empty when the needle has no trigram.
     */
    default Optional<Query> holding(String foldedNeedle) {
        if (foldedNeedle.length() < TrigramTokenizer.LENGTH) {
            return Optional.empty();
        }
        return Optional.of(switch (this) {
            case Body b -> phrase(MessageDocument.BODY, foldedNeedle);
            case Header h -> phrase(MessageDocument.headerField(h.field().toLowerCase(Locale.ROOT)), foldedNeedle);
            case Text t -> new BooleanQuery.Builder()
                    .add(phrase(MessageDocument.BODY, foldedNeedle), BooleanClause.Occur.SHOULD)
                    .add(phrase(MessageDocument.HEADERS, foldedNeedle), BooleanClause.Occur.SHOULD)
                    .build();
        });
    }

    /**
     * The documents whose text past its positioned characters ({@link MessageDocument#unpositioned}) has every
     * trigram of the folded {@code needle} (of its first {@link #MAX_TRIGRAMS}), in one field: those may hold
     * the needle there, and only the matcher can tell. Empty when the needle has no trigram or this key looks
     * where every text keeps its positions (a header field).
     */
    default Optional<Query> mayHold(String foldedNeedle) {
        if (foldedNeedle.length() < TrigramTokenizer.LENGTH) {
            return Optional.empty();
        }
        return switch (this) {
            case Body b -> Optional.of(allTrigrams(MessageDocument.BODY, foldedNeedle));
            case Header h -> Optional.empty();
            case Text t -> Optional.of(new BooleanQuery.Builder()
                    .add(allTrigrams(MessageDocument.BODY, foldedNeedle), BooleanClause.Occur.SHOULD)
                    .add(allTrigrams(MessageDocument.HEADERS, foldedNeedle), BooleanClause.Occur.SHOULD)
                    .build());
        };
    }

    private static Query allTrigrams(String field, String needle) {
        var all = new BooleanQuery.Builder();
        for (var trigram : distinctTrigrams(needle)) {
            all.add(new TermQuery(new Term(MessageDocument.unpositioned(field), trigram)), BooleanClause.Occur.FILTER);
        }
        return all.build();
    }

    /** The distinct trigrams of the needle's first {@link #MAX_TRIGRAMS}, in order. */
    private static LinkedHashSet<String> distinctTrigrams(String needle) {
        var trigrams = new LinkedHashSet<String>();
        int last = Math.min(MAX_TRIGRAMS, needle.length() - TrigramTokenizer.LENGTH + 1);
        for (int i = 0; i < last; i++) {
            trigrams.add(needle.substring(i, i + TrigramTokenizer.LENGTH));
        }
        return trigrams;
    }

    /**
     * Whether a document {@link #holding} finds holds the needle where the matcher would find it: the whole
     * needle was asked, and it has no separator, so it lies within one unit.
     */
    static boolean exact(String foldedNeedle) {
        return foldedNeedle.length() - TrigramTokenizer.LENGTH + 1 <= MAX_TRIGRAMS
                && foldedNeedle.indexOf(MessageDocument.SEPARATOR) < 0;
    }

    /**
     * The needle as trigrams at their offsets: every third one and the last, which cover each of its
     * characters at its place, so the phrase holds exactly where the needle does, while the positions of a
     * third of the trigrams are walked.
     */
    private static Query phrase(String field, String needle) {
        var phrase = new PhraseQuery.Builder();
        int last = Math.min(MAX_TRIGRAMS, needle.length() - TrigramTokenizer.LENGTH + 1) - 1;
        for (int i = 0; i < last; i += TrigramTokenizer.LENGTH) {
            phrase.add(trigram(field, needle, i), i);
        }
        phrase.add(trigram(field, needle, last), last);
        return phrase.build();
    }

    private static Term trigram(String field, String needle, int at) {
        return new Term(field, needle.substring(at, at + TrigramTokenizer.LENGTH));
    }

    /**
     * RFC 6203 FUZZY: the documents that share at least half of the needle's distinct trigrams (of its first
     * {@link #MAX_TRIGRAMS}) where this key looks, each scoring the number it shares. Empty when the needle
     * has no trigram. A document holding the needle within one unit shares them all.
     */
    default Optional<Resembling> resembling(String foldedNeedle) {
        var trigrams = distinctTrigrams(foldedNeedle);
        if (trigrams.isEmpty()) {
            return Optional.empty();
        }
        var sharing = new BooleanQuery.Builder().setMinimumNumberShouldMatch((trigrams.size() + 1) / 2);
        for (var trigram : trigrams) {
            // one point per trigram, wherever the key looks
            var anywhere = fields().stream()
                    .<Query>map(field -> new ConstantScoreQuery(new TermQuery(new Term(field, trigram))))
                    .toList();
            sharing.add(new DisjunctionMaxQuery(anywhere, 0f), BooleanClause.Occur.SHOULD);
        }
        return Optional.of(new Resembling(sharing.build(), trigrams.size()));
    }

    /** A query of {@link #resembling} and the number of trigrams it asks. */
    record Resembling(Query query, int trigrams) {}

    /** Where this key looks: with their positions, and past them. */
    private List<String> fields() {
        return switch (this) {
            case Body b -> List.of(MessageDocument.BODY, MessageDocument.unpositioned(MessageDocument.BODY));
            case Header h -> List.of(MessageDocument.headerField(h.field().toLowerCase(Locale.ROOT)));
            case Text t -> List.of(MessageDocument.BODY, MessageDocument.unpositioned(MessageDocument.BODY),
                    MessageDocument.HEADERS, MessageDocument.unpositioned(MessageDocument.HEADERS));
        };
    }

    /** Whether the index keeps what this key looks into. */
    default boolean indexed() {
        return !(this instanceof Header h) || MessageDocument.HEADER_FIELDS.contains(h.field().toLowerCase(Locale.ROOT));
    }
}
