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
 * Benchmark fixture (never committed output): a Maildir of N small, varied messages in cur/ with
 * {@code :2,} flags and internal dates spread over five years. Seeded, so two runs make the same
 * messages, whatever the names. The names are Dovecot's by default ({@code ,S=<size>,W=<vsize>});
 * {@code size} names them as Courier, maildrop and many MDAs do ({@code ,S=<size>} and no
 * {@code W=}), {@code none} carries no size at all (as procmail and mutt write them). With
 * {@code threaded}, two messages in three reply to one of the 200 before them (References: up to ten
 * ancestors, and In-Reply-To), for THREAD REFERENCES; the messages are otherwise the same.
 *
 * <pre>java bench/MaildirGenerator.java /tmp/roost-bench/mail/bench 100000 [dovecot|size|none] [threaded]</pre>
 */
public class MaildirGenerator {
    private static final String[] WORDS = ("meeting report invoice lunch plan draft review budget travel update "
            + "release notes question answer holiday photo party order delivery ticket weekly monthly urgent").split(" ");
    private static final String[] NAMES = "alice bob carol dave erin frank grace heidi ivan judy mallory oscar peggy trent".split(" ");
    private static final DateTimeFormatter RFC822 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    public static void main(String[] args) throws IOException {
        var root = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        var names = args.length > 2 ? args[2] : "dovecot";
        if (!names.matches("dovecot|size|none")) {
            throw new IllegalArgumentException("names: dovecot, size or none, not " + names);
        }
        boolean threaded = args.length > 3 && args[3].equals("threaded");
        var random = new Random(1_000_003L * count);
        var replies = new Random(7L * count + 1); // apart, so that the messages stay as without threads
        var ids = new String[threaded ? count : 0];
        var parents = new int[threaded ? count : 0];
        for (var sub : new String[] {"cur", "new", "tmp"}) {
            Files.createDirectories(root.resolve(sub));
        }
        long start = Instant.parse("2021-01-01T00:00:00Z").getEpochSecond();
        long span = 5L * 365 * 86400;
        for (int i = 0; i < count; i++) {
            long date = start + span * i / count + random.nextInt(3600);
            var references = "";
            if (threaded) {
                parents[i] = i > 0 && replies.nextInt(3) != 0 ? i - 1 - replies.nextInt(Math.min(i, 200)) : -1;
                references = references(ids, parents, i);
            }
            var text = message(random, i, Instant.ofEpochSecond(date), references, ids).getBytes(StandardCharsets.US_ASCII);
            int lines = 0;
            for (byte b : text) {
                if (b == '\n') {
                    lines++;
                }
            }
            var flags = new StringBuilder();
            int r = random.nextInt(100);
            if (r < 8) {
                flags.append('F');
            }
            if (r % 7 == 0) {
                flags.append('R');
            }
            if (i < count - count / 50 && random.nextInt(100) < 85) {
                flags.append('S');
            }
            var base = date + ".M" + (i % 1_000_000) + "P" + (4000 + i / 1_000_000) + "Q" + i + ".bench";
            var sizes = switch (names) {
                case "dovecot" -> ",S=" + text.length + ",W=" + (text.length + lines);
                case "size" -> ",S=" + text.length;
                default -> "";
            };
            var name = base + sizes + ":2," + flags;
            var file = root.resolve("cur").resolve(name);
            Files.write(file, text);
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(date)));
            if (i % 100_000 == 99_999) {
                System.out.println((i + 1) + " messages");
            }
        }
    }

    /** The References and In-Reply-To lines of message {@code i}: its parent and up to nine ancestors above it. */
    private static String references(String[] ids, int[] parents, int i) {
        if (parents[i] < 0) {
            return "";
        }
        var chain = new StringBuilder();
        int depth = 0;
        for (int a = parents[i]; a >= 0 && depth < 10; a = parents[a], depth++) {
            chain.insert(0, " " + ids[a]);
        }
        return "References:" + chain + "\nIn-Reply-To: " + ids[parents[i]] + "\n";
    }

    /** Message {@code i}, its Message-ID kept in {@code ids} when that holds IDs (threaded). */
    private static String message(Random random, int i, Instant date, String references, String[] ids) {
        var from = NAMES[random.nextInt(NAMES.length)];
        var to = NAMES[random.nextInt(NAMES.length)];
        var subject = new StringBuilder();
        for (int w = 0, n = 2 + random.nextInt(5); w < n; w++) {
            subject.append(w == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        var body = new StringBuilder();
        for (int l = 0, n = 3 + random.nextInt(30); l < n; l++) {
            for (int w = 0, m = 4 + random.nextInt(10); w < m; w++) {
                body.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
            }
            body.append('\n');
        }
        var id = "<" + i + "." + random.nextInt(1_000_000) + "@bench.example.org>";
        if (ids.length > 0) {
            ids[i] = id;
        }
        return "Return-Path: <" + from + "@example.org>\n"
                + "Date: " + RFC822.format(date.atOffset(ZoneOffset.UTC)) + "\n"
                + "From: " + Character.toUpperCase(from.charAt(0)) + from.substring(1) + " <" + from + "@example.org>\n"
                + "To: " + to + "@example.net\n"
                + "Subject: " + subject + " #" + i + "\n"
                + "Message-ID: " + id + "\n" + references
                + "MIME-Version: 1.0\n"
                + "Content-Type: text/plain; charset=us-ascii\n"
                + "\n" + body;
    }
}
