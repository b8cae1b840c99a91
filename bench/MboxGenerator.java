import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;

/**
 * Writes an mbox as an MTA delivers one (postfix, procmail): a From_ line per message, "From " lines
 * of bodies quoted as ">From ", an empty line after each message, no IMAP bookkeeping headers (a
 * third of the messages carry the "Status: RO" mutt or mail(1) leave). Seeded: the same arguments
 * give the same file.
 *
 * <pre>java bench/MboxGenerator.java FILE COUNT [TOTAL_MEGABYTES]</pre>
 */
public class MboxGenerator {
    private static final DateTimeFormatter ASCTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final DateTimeFormatter RFC822 = DateTimeFormatter.RFC_1123_DATE_TIME;
    private static final String[] WORDS = ("the quick brown fox jumps over lazy dog mail server index message folder "
            + "client protocol storage lock journal offset header body line text from reply meeting tomorrow "
            + "report figures attached please review thanks regards").split(" ");

    public static void main(String[] args) throws IOException {
        var file = Path.of(args[0]);
        int count = Integer.parseInt(args[1]);
        long totalBytes = (args.length > 2 ? Long.parseLong(args[2]) : 1024) * 1024 * 1024;
        long meanBody = Math.max(200, totalBytes / count - 600);
        var random = new Random(20);
        Files.createDirectories(file.toAbsolutePath().getParent());
        long start = Instant.parse("2024-01-01T00:00:00Z").getEpochSecond();
        long span = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond() - start;
        try (var out = new BufferedOutputStream(new FileOutputStream(file.toFile()), 1 << 20)) {
            for (int i = 1; i <= count; i++) {
                var date = ZonedDateTime.ofInstant(Instant.ofEpochSecond(start + span * i / count), ZoneOffset.UTC);
                var sender = "user" + random.nextInt(5000) + "@example.org";
                var text = new StringBuilder(8192);
                text.append("From ").append(sender).append(' ').append(ASCTIME.format(date)).append('\n');
                text.append("Return-Path: <").append(sender).append(">\n");
                text.append("Received: from mx.example.org (mx.example.org [192.0.2.1])\n\tby mail.example.com with ESMTP id ")
                        .append(Long.toHexString(random.nextLong())).append("\n\tfor <bench@example.com>; ")
                        .append(RFC822.format(date)).append('\n');
                text.append("From: User ").append(i).append(" <").append(sender).append(">\n");
                text.append("To: bench@example.com\n");
                text.append("Subject: message ").append(i).append(' ').append(WORDS[random.nextInt(WORDS.length)]).append('\n');
                text.append("Date: ").append(RFC822.format(date)).append('\n');
                text.append("Message-ID: <").append(i).append('.').append(Long.toHexString(random.nextLong()))
                        .append("@example.org>\n");
                text.append("MIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n");
                if (i % 3 == 0) {
                    text.append("Status: RO\n");
                }
                text.append('\n');
                long body = (long) Math.min(meanBody * 20, -Math.log(1 - random.nextDouble()) * meanBody);
                int lines = 0;
                var line = new StringBuilder(80);
                for (long written = 0; written < body; ) {
                    line.setLength(0);
                    if (random.nextInt(200) == 0) {
                        line.append(">From "); // a "From " line of the body, quoted by the MTA
                    }
                    while (line.length() < 72) {
                        line.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                    }
                    text.append(line).append('\n');
                    written += line.length() + 1;
                    lines++;
                }
                if (lines == 0) {
                    text.append("empty\n");
                }
                text.append('\n');
                out.write(text.toString().getBytes(StandardCharsets.US_ASCII));
            }
        }
    }
}
