package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.PhraseQuery;
import org.junit.jupiter.api.Test;

/** A needle is asked as few trigrams as cover each of its characters at its place. */
class SearchedTest {
    @Test
    void aNeedleIsAskedAsTheTrigramsThatCoverIt() {
        assertPhrase("felpoan quaor", new String[] {"fel", "poa", "n q", "uao", "aor"}, new int[] {0, 3, 6, 9, 10});
        assertPhrase("viqua", new String[] {"viq", "qua"}, new int[] {0, 2});
        assertPhrase("abcdef", new String[] {"abc", "def"}, new int[] {0, 3});
        assertPhrase("abc", new String[] {"abc"}, new int[] {0});
    }

    @Test
    void aLongNeedleIsAskedByItsFirstCharacters() {
        var phrase = (PhraseQuery) new Searched.Body().holding("x".repeat(500)).orElseThrow();
        int[] positions = phrase.getPositions();
        assertEquals(Searched.MAX_TRIGRAMS - 1, positions[positions.length - 1]);
        assertEquals(44, positions.length); // 0, 3, … 126 and 127
    }

    /**
     * Past its positioned characters a text has its trigrams without positions: there a needle is asked as all
     * its distinct trigrams, in the same field; a header field keeps positions everywhere.
     */
    @Test
    void pastThePositionsANeedleIsAskedAsAllItsTrigrams() {
        var body = (BooleanQuery) new Searched.Body().mayHold("abcabcd").orElseThrow();
        assertEquals(List.of("body~rest:abc", "body~rest:bca", "body~rest:cab", "body~rest:bcd"),
                body.clauses().stream().map(c -> c.query().toString()).toList());
        assertTrue(body.clauses().stream().allMatch(c -> c.occur() == BooleanClause.Occur.FILTER));
        var text = (BooleanQuery) new Searched.Text().mayHold("abc").orElseThrow();
        assertEquals(List.of("#body~rest:abc", "#headers~rest:abc"),
                text.clauses().stream().map(c -> c.query().toString()).toList());
        assertTrue(new Searched.Header("Subject").mayHold("abcdef").isEmpty());
        assertTrue(new Searched.Body().mayHold("ab").isEmpty());
        var longNeedle = (BooleanQuery) new Searched.Body().mayHold("0123456789".repeat(30)).orElseThrow();
        assertEquals(10, longNeedle.clauses().size()); // the distinct ones of the first 128
    }

    private static void assertPhrase(String needle, String[] trigrams, int[] positions) {
        var phrase = (PhraseQuery) new Searched.Body().holding(needle).orElseThrow();
        assertArrayEquals(trigrams, Arrays.stream(phrase.getTerms()).map(t -> t.text()).toArray(String[]::new));
        assertArrayEquals(positions, phrase.getPositions());
        assertEquals(MessageDocument.BODY, phrase.getField());
    }
}
