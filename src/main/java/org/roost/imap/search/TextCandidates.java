package org.roost.imap.search;

import java.io.IOException;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import org.roost.fts.Candidates;
import org.roost.fts.Lookup;
import org.roost.fts.Resemblance;
import org.roost.fts.Searched;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.MailboxView;

/**
 * What the full-text index says of each text key of one search: for each message, that it matches, that it
 * does not, or that the matcher must read it (as always without an index). Keys the index cannot answer
 * have no entry: every message is read for them.
 */
final class TextCandidates {
    static final TextCandidates NONE = new TextCandidates(Map.of(), Map.of());
    private static final System.Logger LOG = System.getLogger(TextCandidates.class.getName());
    /** Per key, the answer for each message by sequence number (index 0: message 1). */
    private final Map<SearchKey, Candidates.Answers> byKey;
    /** Per text key under FUZZY, the relevancy of each message by sequence number ({@link Resemblance#of}). */
    private final Map<SearchKey, int[]> fuzzyByKey;

    private TextCandidates(Map<SearchKey, Candidates.Answers> byKey, Map<SearchKey, int[]> fuzzyByKey) {
        this.byKey = byKey;
        this.fuzzyByKey = fuzzyByKey;
    }

    /** What {@code lookup} says of every text key in {@code key}, for the messages of {@code view}. */
    static TextCandidates of(SearchKey key, Lookup lookup, MailboxView view) {
        var byUids = new HashMap<SearchKey, Candidates>();
        var fuzzyByUids = new HashMap<SearchKey, Resemblance>();
        collect(key, lookup, byUids, fuzzyByUids, false);
        if (byUids.isEmpty() && fuzzyByUids.isEmpty()) {
            return NONE;
        }
        var uids = new long[view.count()];
        for (int seq = 1; seq <= uids.length; seq++) {
            uids[seq - 1] = view.uid(seq);
        }
        var bySeq = new HashMap<SearchKey, Candidates.Answers>();
        byUids.forEach((k, candidates) -> bySeq.put(k, candidates.of(uids)));
        var fuzzyBySeq = new HashMap<SearchKey, int[]>();
        fuzzyByUids.forEach((k, resemblance) -> fuzzyBySeq.put(k, resemblance.of(uids)));
        return new TextCandidates(bySeq, fuzzyBySeq);
    }

    /** {@code fuzzy}: whether {@code key} is under FUZZY (RFC 6203 §2), its text keys asked how much messages resemble them. */
    private static void collect(SearchKey key, Lookup lookup, Map<SearchKey, Candidates> out,
            Map<SearchKey, Resemblance> fuzzyOut, boolean fuzzy) {
        switch (key) {
            case SearchKey.Body b -> ask(lookup, b, new Searched.Body(), b.value(), fuzzy, out, fuzzyOut);
            case SearchKey.Text t -> ask(lookup, t, new Searched.Text(), t.value(), fuzzy, out, fuzzyOut);
            case SearchKey.Header h -> ask(lookup, h, new Searched.Header(h.field()), h.value(), fuzzy, out, fuzzyOut);
            case SearchKey.Fuzzy f -> collect(f.key(), lookup, out, fuzzyOut, true);
            case SearchKey.Not n -> collect(n.key(), lookup, out, fuzzyOut, fuzzy);
            case SearchKey.Or o -> {
                collect(o.left(), lookup, out, fuzzyOut, fuzzy);
                collect(o.right(), lookup, out, fuzzyOut, fuzzy);
            }
            case SearchKey.And a -> a.keys().forEach(k -> collect(k, lookup, out, fuzzyOut, fuzzy));
            default -> {
                // answered from the mailbox index
            }
        }
    }

    private static void ask(Lookup lookup, SearchKey key, Searched searched, String needle, boolean fuzzy,
            Map<SearchKey, Candidates> out, Map<SearchKey, Resemblance> fuzzyOut) {
        if ((fuzzy ? fuzzyOut : out).containsKey(key)) {
            return;
        }
        try {
            if (fuzzy) {
                lookup.resemblance(searched, needle).ifPresent(resemblance -> fuzzyOut.put(key, resemblance));
            } else {
                lookup.candidates(searched, needle).ifPresent(candidates -> out.put(key, candidates));
            }
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
            case SearchKey.Fuzzy f -> resemblingOrUndecided(f.key());
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

    /** The messages a text key under FUZZY may match (null for other keys, or when the index was not asked). */
    private BitSet resemblingOrUndecided(SearchKey key) {
        var relevancies = fuzzyByKey.get(key);
        if (relevancies == null) {
            return null;
        }
        var out = new BitSet(relevancies.length);
        for (int i = 0; i < relevancies.length; i++) {
            if (relevancies[i] != Resemblance.NOT) {
                out.set(i);
            }
        }
        return out;
    }

    /** A new set each time: the caller may change it. */
    private BitSet notRuledOut(SearchKey key) {
        var answers = byKey.get(key);
        return answers == null ? null : (BitSet) answers.possible().clone();
    }

    /**
     * How much message {@code seq} resembles text key {@code key} under FUZZY: 1 to 100, {@link Resemblance#NOT},
     * or {@link Resemblance#MATCHER} when only the matcher can decide (also when the index was not asked).
     */
    int resemblance(SearchKey key, int seq) {
        var relevancies = fuzzyByKey.get(key);
        return relevancies == null ? Resemblance.MATCHER : relevancies[seq - 1];
    }

    /** What the index says of message {@code seq} for {@code key}. */
    Candidates.Answer answer(SearchKey key, int seq) {
        var answers = byKey.get(key);
        return answers == null ? Candidates.Answer.MAYBE : answers.get(seq - 1);
    }
}
