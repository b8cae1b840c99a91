package org.roost.fts;

import java.io.IOException;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;

/**
 * Cuts a folded text into every run of three UTF-16 units, so that any substring of three or more units
 * is found by the trigrams it is made of. Units, not code points: a needle that ends in half a surrogate
 * pair still has exactly the trigrams of the text it lies in.
 */
final class TrigramTokenizer extends Tokenizer {
    static final int LENGTH = 3;
    /** The analyzer of every tokenized field: the text comes folded, so it is only cut. */
    static final Analyzer ANALYZER = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(new TrigramTokenizer());
        }
    };
    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final char[] buffer = new char[4096];
    private final char[] window = new char[LENGTH];
    private int filled;
    private int position;
    private int limit;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        while (true) {
            if (position == limit) {
                limit = input.read(buffer);
                position = 0;
                if (limit <= 0) {
                    limit = 0;
                    return false;
                }
            }
            window[0] = window[1];
            window[1] = window[2];
            window[2] = buffer[position++];
            if (++filled >= LENGTH) {
                term.copyBuffer(window, 0, LENGTH);
                return true;
            }
        }
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        filled = 0;
        position = 0;
        limit = 0;
    }
}
