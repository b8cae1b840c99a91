import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SerialMergeScheduler;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * What indexing one delivered message costs the full-text indexer, in CPU time of one thread: Roost's own
 * parse, text extraction and document (org.roost.fts.MessageDocument.of, called reflectively, so the same
 * program measures a build before fts.positionedChars and one after), Lucene's inversion, the segment flushes
 * and the merges (a serial merge scheduler, so they run on the measured thread), into a heap directory
 * configured as UserIndex configures its own. Four messages: 4 kB and 100 kB of lines of x as Postfix's
 * smtp-source sends them (the LMTP benchmark's body), and of random words. The first of four rounds (a JVM
 * not yet compiled) is not printed.
 *
 * <pre>java -cp 'target/roost.jar:target/lib/*' bench/MessageIndexingCost.java DOCUMENTS [POSITIONED_CHARS...]</pre>
 *
 * POSITIONED_CHARS: values of fts.positionedChars to compare (a build before it ignores them: every trigram
 * keeps its position); 0 or none: the build's default.
 */
public class MessageIndexingCost {
    record Message(String name, byte[] bytes) {}

    public static void main(String[] args) throws Exception {
        int documents = Integer.parseInt(args[0]);
        var positioned = new ArrayList<Integer>();
        for (int i = 1; i < args.length; i++) {
            positioned.add(Integer.parseInt(args[i]));
        }
        if (positioned.isEmpty()) {
            positioned.add(0);
        }
        var fts = new Fts();
        var messages = List.of(message("smtp-source 4 kB", xLines(4096)), message("smtp-source 100 kB", xLines(102400)),
                message("words 4 kB", words(4096)), message("words 100 kB", words(102400)));
        var threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) {
            for (var message : messages) {
                for (int chars : positioned) {
                    var writer = new IndexWriter(new ByteBuffersDirectory(), new IndexWriterConfig(fts.analyzer)
                            .setMergePolicy(new TieredMergePolicy().setFloorSegmentMB(0.25))
                            .setMergeScheduler(new SerialMergeScheduler()).setRAMBufferSizeMB(16));
                    long start = threads.getCurrentThreadCpuTime();
                    for (int d = 0; d < documents; d++) {
                        writer.addDocument(fts.document(d, message.bytes(), chars));
                    }
                    writer.commit();
                    writer.close();
                    long cpu = threads.getCurrentThreadCpuTime() - start;
                    if (round > 0) {
                        System.out.printf("round %d %-18s positioned %-8s %.3f ms/message%n", round, message.name(),
                                fts.positionedChars ? (chars == 0 ? "default" : chars) : "all", cpu / 1e6 / documents);
                    }
                }
            }
        }
    }

    /** The build's MessageDocument.of, with or without its positionedChars parameter. */
    static final class Fts {
        final Analyzer analyzer;
        final Method of;
        /** MessageDocument.texts, in a build that reads a message's texts apart from making its document; else null. */
        final Method texts;
        final Method parse;
        final boolean positionedChars;
        final Object noAttachments;
        final int maxTextChars = 1 << 20;
        final int defaultPositioned;

        Fts() throws Exception {
            var tokenizer = Class.forName("org.roost.fts.TrigramTokenizer");
            var field = tokenizer.getDeclaredField("ANALYZER");
            field.setAccessible(true);
            analyzer = (Analyzer) field.get(null);
            var structure = Class.forName("org.roost.mail.mime.MessageStructure");
            parse = structure.getMethod("parse", java.io.InputStream.class);
            var reader = Class.forName("org.roost.mail.mime.SearchText$AttachmentReader");
            noAttachments = reader.getField("NONE").get(null);
            Method found = null;
            Method foundTexts = null;
            for (var m : Class.forName("org.roost.fts.MessageDocument").getDeclaredMethods()) {
                if (m.getName().equals("of")) {
                    found = m;
                } else if (m.getName().equals("texts")) {
                    foundTexts = m;
                    m.setAccessible(true);
                }
            }
            of = found;
            of.setAccessible(true);
            texts = foundTexts;
            positionedChars = texts != null || of.getParameterCount() == 7;
            var options = Class.forName("org.roost.fts.FullTextOptions");
            defaultPositioned = positionedChars ? options.getField("DEFAULT_POSITIONED_CHARS").getInt(null) : 0;
        }

        Document document(long uid, byte[] message, int chars) throws Exception {
            var structure = parse.invoke(null, new ByteArrayInputStream(message));
            var in = new ByteArrayInputStream(message);
            int positioned = chars == 0 ? defaultPositioned : chars;
            if (texts != null) {
                return (Document) of.invoke(null, "INBOX\u00001", uid,
                        texts.invoke(null, structure, in, maxTextChars, noAttachments), positioned);
            }
            return (Document) (positionedChars
                    ? of.invoke(null, "INBOX\u00001", uid, structure, in, maxTextChars, positioned, noAttachments)
                    : of.invoke(null, "INBOX\u00001", uid, structure, in, maxTextChars, noAttachments));
        }
    }

    static Message message(String name, String body) {
        var text = "From: Alice <alice@example.org>\r\nTo: bob@example.org\r\nSubject: indexing cost\r\n"
                + "Message-ID: <1@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + body;
        return new Message(name, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** smtp-source's body: lines of 78 x, each after a digit. */
    static String xLines(int bytes) {
        var out = new StringBuilder();
        for (int i = 0; out.length() < bytes; i++) {
            out.append(i % 10).append("x".repeat(77)).append("\r\n");
        }
        return out.toString();
    }

    static String words(int bytes) {
        var random = new Random(1);
        var out = new StringBuilder();
        while (out.length() < bytes) {
            for (int k = 3 + random.nextInt(7); k > 0; k--) {
                out.append((char) ('a' + random.nextInt(26)));
            }
            out.append(random.nextInt(12) == 0 ? "\r\n" : " ");
        }
        return out.toString();
    }
}
