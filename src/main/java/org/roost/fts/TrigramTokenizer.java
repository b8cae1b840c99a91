package org.roost.fts;

import java.io.IOException;
import java.io.Reader;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.BytesTermAttribute;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.UnicodeUtil;

/**
 * Cuts a folded text into every run of three UTF-16 units, so that any substring of three or more units
 * is found by the trigrams it is made of. Units, not code points: a needle that ends in half a surrogate
 * pair still has exactly the trigrams of the text it lies in.
 *
 * <p>Each trigram is handed to the index as the UTF-8 bytes a {@code Term} of the same three units has (what
 * the searches look up), made here at once: a character term would be turned into bytes by the index again
 * for every token, and a 100 kB message has a hundred thousand of them.
 *
 * <p>For the fields kept without positions ({@link MessageDocument#unpositioned}) each distinct trigram of a text
 * is given once ({@link #distinct}): the index would only find it again in its term hash, which is most of what
 * inverting costs.
 */
final class TrigramTokenizer extends Tokenizer {
    static final int LENGTH = 3;
    /**
     * The analyzer of every field with positions: the text comes folded, so it is only cut. One tokenizer serves
     * every field of a thread (a tokenizer per field cost small messages a tenth more).
     */
    static final Analyzer ANALYZER = new Analyzer() {
        @Override
        protected TokenStreamComponents createComponents(String fieldName) {
            return new TokenStreamComponents(new TrigramTokenizer(null));
        }
    };
    private final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
    private final BytesRef bytes = new BytesRef(new byte[UnicodeUtil.maxUTF8Length(LENGTH)]);
    private final char[] buffer = new char[4096];
    private final char[] window = new char[LENGTH];
    private int filled;
    private int position;
    private int limit;
    /** The trigrams given so far, when each is given once; null when every one is given at its position. */
    private final SeenTrigrams seen;

    private TrigramTokenizer(SeenTrigrams seen) {
        this.seen = seen;
    }

    /** The distinct trigrams of {@code text}, each once, for a field without positions (of one long message). */
    static Tokenizer distinct(Reader text) {
        var tokenizer = new TrigramTokenizer(new SeenTrigrams());
        tokenizer.setReader(text);
        return tokenizer;
    }

    /**
     * The attributes are cleared once per text ({@link #reset}), not per token: only the term's bytes change from
     * one token to the next, in the one {@link BytesRef} the term attribute holds, and the others keep the values
     * clearing gives them (a position increment of 1); clearing them all for each token was more than half of
     * this tokenizer's time (a 100 kB text: 1.1–1.3 ms, 0.45 ms without).
     */
    @Override
    public boolean incrementToken() throws IOException {
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
            if (++filled >= LENGTH && (seen == null || seen.add(SeenTrigrams.key(window[0], window[1], window[2])))) {
                encodeWindow();
                return true;
            }
        }
    }

    /** The window's UTF-8 bytes, as {@code new BytesRef(CharSequence)} makes them (a lone surrogate is U+FFFD). */
    private void encodeWindow() {
        char a = window[0];
        char b = window[1];
        char c = window[2];
        if ((a | b | c) < 0x80) {
            bytes.bytes[0] = (byte) a;
            bytes.bytes[1] = (byte) b;
            bytes.bytes[2] = (byte) c;
            bytes.length = LENGTH;
        } else {
            bytes.length = UnicodeUtil.UTF16toUTF8(window, 0, LENGTH, bytes.bytes);
        }
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        clearAttributes();
        term.setBytesRef(bytes);
        filled = 0;
        position = 0;
        limit = 0;
        if (seen != null) {
            seen.clear();
        }
    }
}
