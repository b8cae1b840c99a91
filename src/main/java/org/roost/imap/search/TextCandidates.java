package org.roost.imap.search;

import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.roost.fts.Candidates;
import org.roost.fts.Lookup;
import org.roost.fts.Searched;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.MailboxView;

/**
 * What the full-text index says of each text key of one search: for each message, that it matches, that it
 * does not, or that the matcher must read it (as always without an index). Keys the index cannot answer
 * have no entry: every message is read for them.
 */
final class TextCandidates {
    static final TextCandidates NONE = new TextCandidates(Map.of());
    private static final System.Logger LOG = System.getLogger(TextCandidates.class.getName());
    /** Per key, the answer for each message by sequence number (index 0: message 1). */
    private final Map<SearchKey, Candidates.Answer[]> byKey;

    private TextCandidates(Map<SearchKey, Candidates.Answer[]> byKey) {
        this.byKey = byKey;
    }

    /** What {@code lookup} says of every text key in {@code key}, for the messages of {@code view}. */
    static TextCandidates of(SearchKey key, Lookup lookup, MailboxView view) {
        var byUids = new HashMap<SearchKey, Candidates>();
        collect(key, lookup, byUids);
        if (byUids.isEmpty()) {
            return NONE;
        }
        var uids = new long[view.count()];
        for (int seq = 1; seq <= uids.length; seq++) {
            uids[seq - 1] = view.uid(seq);
        }
        var bySeq = new HashMap<SearchKey, Candidates.Answer[]>();
        byUids.forEach((k, candidates) -> bySeq.put(k, candidates.of(uids)));
        return new TextCandidates(bySeq);
    }

    private static void collect(SearchKey key, Lookup lookup, Map<SearchKey, Candidates> out) {
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
            Map<SearchKey, Candidates> out) {
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

    /**
     * The messages {@code key} may match as far as the index tells, as a set of sequence numbers less one,
     * or null when it cannot narrow them: a text key that must hold (alone, under AND, or on both sides of
     * an OR) rules out every message the index says lacks its text.
     */
    BitSet possible(SearchKey key) {
        return switch (key) {
            case SearchKey.Body b -> notRuledOut(b);
            case SearchKey.Text t -> notRuledOut(t);
            case SearchKey.Header h -> notRuledOut(h);
            case SearchKey.And a -> {
                BitSet all = null;
                for (var k : a.keys()) {
                    var one = possible(k);
                    if (one != null && all == null) {
                        all = one;
                    } else if (one != null) {
                        all.and(one);
                    }
                }
                yield all;
            }
            case SearchKey.Or o -> {
                var either = possible(o.left());
                var other = either == null ? null : possible(o.right());
                if (other != null) {
                    either.or(other);
                }
                yield other == null ? null : either;
            }
            default -> null;
        };
    }

    /** A new set each time: the caller may change it. */
    private BitSet notRuledOut(SearchKey key) {
        var answers = byKey.get(key);
        if (answers == null) {
            return null;
        }
        var out = new BitSet(answers.length);
        for (int i = 0; i < answers.length; i++) {
            if (answers[i] != Candidates.Answer.NO) {
                out.set(i);
            }
        }
        return out;
    }

    /** What the index says of message {@code seq} for {@code key}. */
    Candidates.Answer answer(SearchKey key, int seq) {
        var answers = byKey.get(key);
        return answers == null ? Candidates.Answer.MAYBE : answers[seq - 1];
    }
}
