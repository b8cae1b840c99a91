package org.roost.imap.search;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongPredicate;
import org.roost.fts.Lookup;
import org.roost.fts.Searched;
import org.roost.imap.protocol.SearchKey;

/**
 * The messages each text key of one search may match, as the full-text index says: a superset of what
 * the matcher finds, so a message outside it is known not to match without being read, and a message
 * inside it is read and decided as without an index. Keys the index cannot narrow have no entry.
 */
final class TextCandidates {
    static final TextCandidates NONE = new TextCandidates(Map.of());
    private static final System.Logger LOG = System.getLogger(TextCandidates.class.getName());
    private final Map<SearchKey, LongPredicate> byKey;

    private TextCandidates(Map<SearchKey, LongPredicate> byKey) {
        this.byKey = byKey;
    }

    /** What {@code lookup} says of every text key in {@code key}. */
    static TextCandidates of(SearchKey key, Lookup lookup) {
        var byKey = new HashMap<SearchKey, LongPredicate>();
        collect(key, lookup, byKey);
        return new TextCandidates(byKey);
    }

    private static void collect(SearchKey key, Lookup lookup, Map<SearchKey, LongPredicate> out) {
        switch (key) {
            case SearchKey.Body b -> ask(lookup, b, new Searched.Body(), b.value(), out);
            case SearchKey.Text t -> ask(lookup, t, new Searched.Text(), t.value(), out);
            case SearchKey.Header h -> ask(lookup, h, new Searched.Header(h.field()), h.value(), out);
            case SearchKey.Not n -> collect(n.key(), lookup, out);
            case SearchKey.Or o -> {
                collect(o.left(), lookup, out);
                collect(o.right(), lookup, out);
            }
            case SearchKey.And a -> a.keys().forEach(k -> collect(k, lookup, out));
            default -> {
                // answered from the mailbox index
            }
        }
    }

    private static void ask(Lookup lookup, SearchKey key, Searched searched, String needle,
            Map<SearchKey, LongPredicate> out) {
        if (out.containsKey(key)) {
            return;
        }
        try {
            lookup.candidates(searched, needle).ifPresent(candidates -> out.put(key, candidates));
        } catch (IOException | RuntimeException e) {
            // the key is decided by reading every message, as without an index
            LOG.log(System.Logger.Level.WARNING, "full-text index not asked for a {0} key: {1}",
                    key.getClass().getSimpleName(), e.toString());
        }
    }

    /** False only when message {@code uid} cannot match {@code key}. */
    boolean mayMatch(SearchKey key, long uid) {
        var candidates = byKey.get(key);
        return candidates == null || candidates.test(uid);
    }
}
