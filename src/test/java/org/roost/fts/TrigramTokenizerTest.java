package org.roost.fts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.PositionIncrementAttribute;
import org.apache.lucene.analysis.tokenattributes.TermToBytesRefAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * The index holds each trigram as the bytes a {@link Term} of the same three units has, which is what a search
 * looks up: any other encoding (of a surrogate cut in half, of a character beyond ASCII) would make a needle miss
 * the messages that hold it.
 */
class TrigramTokenizerTest {
    /** Units chosen to be awkward: ASCII, Latin-1, CJK, both halves of a pair alone and together, line ends. */
    private static final char[] UNITS = {'a', 'z', '0', ' ', '\n', '\u007f', '\u0080', '\u00e9', '\u00ff', '\u07ff',
        '\u0800', '\u4e2d', '\uffff', '\ufffd', '\ud83d', '\ude00', '\ud800', '\udfff'};

    @Test
    void everyTrigramHasTheBytesOfItsTerm() throws IOException {
        var random = new Random(20261207);
        for (int round = 0; round < 400; round++) {
            int length = random.nextInt(round < 200 ? 12 : 9_000); // short texts, and texts past the 4096-unit buffer
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : UNITS[random.nextInt(UNITS.length)]);
            }
            assertTrigrams(text.toString(), random);
        }
    }

    @Test
    void textsShorterThanATrigramGiveNone() throws IOException {
        var random = new Random(7);
        assertTrigrams("", random);
        assertTrigrams("ab", random);
        assertTrigrams("\ud83d\ude00", random);
    }

    @Test
    void aPairSplitByTheWindowIsTheReplacementCharacterAsInATerm() throws IOException {
        assertTrigrams("ab\ud83d\ude00c", new Random(1));
        assertTrigrams("\ude00\ud83dx", new Random(2));
    }

    /**
     * A field kept without positions gets each distinct trigram of a text once (as three units: two that differ
     * only in a lone surrogate have the same bytes, which the index takes once), in the order of their first
     * place, with the same bytes; texts of every size, past the 4,096-unit buffer, and one of 200,000 distinct
     * trigrams that makes the set grow many times.
     */
    @Test
    void anUnpositionedFieldGetsEachTrigramOnce() throws IOException {
        var random = new Random(20261208);
        var field = MessageDocument.unpositioned(MessageDocument.BODY);
        for (int round = 0; round < 300; round++) {
            int length = round == 150 ? 200_000 : random.nextInt(round % 3 == 0 ? 9_000 : 40);
            var text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(round == 150 || random.nextInt(4) == 0 ? (char) random.nextInt(0x10000)
                        : UNITS[random.nextInt(UNITS.length)]);
            }
            var distinct = new LinkedHashSet<String>();
            for (int i = 0; i + TrigramTokenizer.LENGTH <= length; i++) {
                distinct.add(text.substring(i, i + TrigramTokenizer.LENGTH));
            }
            var expected = distinct.stream().map(trigram -> new Term(field, trigram).bytes()).toList();
            var found = tokens(TrigramTokenizer.distinct(new PieceReader(text.toString(), random)));
            if (!expected.equals(found)) {
                fail("text of " + length + " units, round " + round + ": " + expected.size() + " trigrams expected, "
                        + found.size() + " found");
            }
        }
    }

    private static void assertTrigrams(String text, Random random) throws IOException {
        var expected = new ArrayList<BytesRef>();
        for (int i = 0; i + TrigramTokenizer.LENGTH <= text.length(); i++) {
            expected.add(new Term("f", text.substring(i, i + TrigramTokenizer.LENGTH)).bytes());
        }
        assertEquals(expected, tokens(TrigramTokenizer.ANALYZER.tokenStream("f", new PieceReader(text, random))),
                () -> "text of " + text.length() + " units");
    }

    /** The trigrams of a text, read through a reader that hands out pieces of random sizes. */
    private static List<BytesRef> tokens(TokenStream tokens) throws IOException {
        var out = new ArrayList<BytesRef>();
        try (var stream = tokens) {
            var term = stream.getAttribute(TermToBytesRefAttribute.class);
            var increment = stream.addAttribute(PositionIncrementAttribute.class); // as the index adds it
            stream.reset();
            while (stream.incrementToken()) {
                assertEquals(1, increment.getPositionIncrement());
                out.add(BytesRef.deepCopyOf(term.getBytesRef()));
            }
            assertFalse(stream.incrementToken());
            stream.end();
        }
        return out;
    }

    /** Gives at most a random 1–5000 units per read, so the tokenizer's buffer is refilled at every offset. */
    private static final class PieceReader extends Reader {
        private final String text;
        private final Random random;
        private int at;

        PieceReader(String text, Random random) {
            this.text = text;
            this.random = random;
        }

        @Override
        public int read(char[] buffer, int offset, int length) {
            if (at == text.length()) {
                return -1;
            }
            int n = Math.min(Math.min(length, 1 + random.nextInt(5000)), text.length() - at);
            text.getChars(at, at + n, buffer, offset);
            at += n;
            return n;
        }

        @Override
        public void close() {
        }
    }
}
