import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Benchmark fixture for full-text search (never committed output): a Maildir of N messages whose words
 * follow a Zipf law over a vocabulary of 50,000 made-up words, as natural text does, so a rare word is in
 * few messages and a common one in most. Seeded: two runs make the same messages. Prints the queries the
 * benchmark asks, one per line ("KEY<TAB>needle"): a word of middling rank for TEXT, two words that stand
 * side by side in one message for BODY, part of a subject word for SUBJECT, a sender's name for FROM.
 *
 * <pre>java bench/FtsMaildirGenerator.java /tmp/x/mail/big 100000</pre>
 */
public class FtsMaildirGenerator {
    private static final int VOCABULARY = 50_000;
    private static final String[] SYLLABLES = ("ka ri to mo sa ne lu vi de po ga shi ren tal bor mi an el or ut"
            + " qua zen fel dor pix nor lam bre cos vin").split(" ");
    private static final DateTimeFormatter RFC822 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    public static void main(String[] args) throws IOException {
        var root = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        var random = new Random(42L * count);
        var words = vocabulary(new Random(7));
        var zipf = cumulative();
        for (var sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(root.resolve(sub));
        }
        long start = Instant.parse("2021-01-01T00:00:00Z").getEpochSecond();
        String phrase = null;
        for (int i = 0; i < count; i++) {
            long date = start + 5L * 365 * 86400 * i / count;
            var from = words[100 + random.nextInt(400)];
            var subject = text(random, words, zipf, 3 + random.nextInt(6));
            var body = new StringBuilder();
            for (int l = 0, n = 2 + random.nextInt(12); l < n; l++) {
                body.append(text(random, words, zipf, 6 + random.nextInt(10))).append('\n');
            }
            if (i == count / 3) {
                var parts = body.toString().split("[ \n]");
                phrase = parts[2] + " " + parts[3];
            }
            var message = "From: " + capital(from) + " Sender <" + from + "@example.org>\n"
                    + "To: " + words[100 + random.nextInt(400)] + "@example.net\n"
                    + "Subject: " + subject + "\n"
                    + "Date: " + RFC822.format(Instant.ofEpochSecond(date).atOffset(ZoneOffset.UTC)) + "\n"
                    + "Message-ID: <" + i + "." + random.nextInt(1_000_000) + "@bench.example.org>\n"
                    + "MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\n" + body;
            byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
            var file = root.resolve("cur").resolve(date + ".M" + i + "P1Q" + i + ".fts,S=" + bytes.length + ":2,S");
            Files.write(file, bytes);
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(date)));
        }
        System.out.println("TEXT\t" + words[3000]);
        System.out.println("BODY\t" + phrase);
        System.out.println("SUBJECT\t" + words[800].substring(1, words[800].length() - 1));
        System.out.println("FROM\t" + capital(words[123]));
    }

    /** Distinct made-up words of two to four syllables, the first ones the most frequent. */
    private static String[] vocabulary(Random random) {
        var seen = new java.util.LinkedHashSet<String>();
        while (seen.size() < VOCABULARY) {
            var w = new StringBuilder();
            for (int s = 0, n = 2 + random.nextInt(3); s < n; s++) {
                w.append(SYLLABLES[random.nextInt(SYLLABLES.length)]);
            }
            seen.add(w.toString());
        }
        return seen.toArray(String[]::new);
    }

    /** Zipf (s = 1): the chance of rank r is proportional to 1 / r. */
    private static double[] cumulative() {
        var c = new double[VOCABULARY];
        double sum = 0;
        for (int r = 0; r < VOCABULARY; r++) {
            sum += 1.0 / (r + 1);
            c[r] = sum;
        }
        for (int r = 0; r < VOCABULARY; r++) {
            c[r] /= sum;
        }
        return c;
    }

    private static String text(Random random, String[] words, double[] zipf, int n) {
        var out = new StringBuilder();
        for (int w = 0; w < n; w++) {
            int rank = java.util.Arrays.binarySearch(zipf, random.nextDouble());
            out.append(w == 0 ? "" : " ").append(words[Math.min(VOCABULARY - 1, rank < 0 ? -rank - 1 : rank)]);
        }
        return out.toString();
    }

    private static String capital(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
