import java.io.*;
import java.lang.management.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.tokenattributes.*;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.store.*;
import org.apache.lucene.util.*;

/**
 * What indexing a 100 kB text costs with trigrams handed to Lucene as character terms (the tokenizer before
 * 8340b01) and as UTF-8 bytes (as org.roost.fts.TrigramTokenizer does since), in CPU time of one thread per
 * document, alternately, over four rounds (the first, a JVM not yet compiled, is not printed). Two texts: lines
 * of x as Postfix's smtp-source sends them (the LMTP benchmark's body), and random words.
 *
 * <pre>java -cp 'target/lib/*' bench/TrigramTokenizerCost.java DOCUMENTS</pre>
 */
public class TrigramTokenizerCost {
    static final class CharTri extends Tokenizer {
        final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        final char[] buf = new char[4096]; final char[] w = new char[3]; int filled, pos, limit;
        public boolean incrementToken() throws IOException {
            clearAttributes();
            while (true) {
                if (pos == limit) { limit = input.read(buf); pos = 0; if (limit <= 0) { limit = 0; return false; } }
                w[0] = w[1]; w[1] = w[2]; w[2] = buf[pos++];
                if (++filled >= 3) { term.copyBuffer(w, 0, 3); return true; }
            }
        }
        public void reset() throws IOException { super.reset(); filled = pos = limit = 0; }
    }
    static final class ByteTri extends Tokenizer {
        final BytesTermAttribute term = addAttribute(BytesTermAttribute.class);
        final BytesRef bytes = new BytesRef(new byte[9]);
        final char[] buf = new char[4096]; final char[] w = new char[3]; int filled, pos, limit;
        public boolean incrementToken() throws IOException {
            clearAttributes();
            while (true) {
                if (pos == limit) { limit = input.read(buf); pos = 0; if (limit <= 0) { limit = 0; return false; } }
                w[0] = w[1]; w[1] = w[2]; w[2] = buf[pos++];
                if (++filled >= 3) {
                    char a = w[0], b = w[1], c = w[2];
                    if ((a | b | c) < 0x80) { bytes.bytes[0] = (byte) a; bytes.bytes[1] = (byte) b; bytes.bytes[2] = (byte) c; bytes.length = 3; }
                    else bytes.length = UnicodeUtil.UTF16toUTF8(w, 0, 3, bytes.bytes);
                    term.setBytesRef(bytes); return true;
                }
            }
        }
        public void reset() throws IOException { super.reset(); filled = pos = limit = 0; }
    }
    static Analyzer of(boolean bytes) {
        return new Analyzer() { protected TokenStreamComponents createComponents(String f) { return new TokenStreamComponents(bytes ? new ByteTri() : new CharTri()); } };
    }
    public static void main(String[] a) throws Exception {
        var type = new FieldType(); type.setIndexOptions(IndexOptions.DOCS_AND_FREQS_AND_POSITIONS); type.setTokenized(true); type.setOmitNorms(true); type.freeze();
        var rnd = new java.util.Random(1);
        String[] texts = new String[2];
        var x = new StringBuilder(); for (int i = 0; i < 1280; i++) { x.append(i % 10).append("x".repeat(77)).append('\n'); } texts[0] = x.toString();
        var words = new StringBuilder(); while (words.length() < 102400) { for (int k = 3 + rnd.nextInt(7); k > 0; k--) words.append((char) ('a' + rnd.nextInt(26))); words.append(rnd.nextInt(12) == 0 ? '\n' : ' '); } texts[1] = words.toString();
        var bean = ManagementFactory.getThreadMXBean();
        int docs = Integer.parseInt(a[0]);
        for (int round = 0; round < 4; round++) {
            for (int t = 0; t < 2; t++) {
                for (boolean bytes : new boolean[] {false, true}) {
                    var dir = new ByteBuffersDirectory();
                    var w = new IndexWriter(dir, new IndexWriterConfig(of(bytes)).setRAMBufferSizeMB(16));
                    long c0 = bean.getCurrentThreadCpuTime();
                    for (int d = 0; d < docs; d++) { var doc = new Document(); doc.add(new Field("body", texts[t], type)); w.addDocument(doc); }
                    w.commit(); w.close();
                    long c1 = bean.getCurrentThreadCpuTime();
                    if (round > 0) System.out.printf("round %d %s %s: %.3f ms/doc%n", round, t == 0 ? "smtp-source-like" : "words", bytes ? "bytes" : "chars", (c1 - c0) / 1e6 / docs);
                }
            }
        }
    }
}
