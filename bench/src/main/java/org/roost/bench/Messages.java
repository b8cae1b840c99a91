package org.roost.bench;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * Varied RFC 5322 test messages from a seeded generator: plain text, and now and then a
 * multipart/alternative or a message with a base64 attachment, so MIME parsing has work to do.
 * CRLF line endings throughout, as IMAP APPEND needs them.
 */
public final class Messages {
    private static final String[] WORDS = ("lorem ipsum dolor sit amet roost dovecot imap maildir index cache "
            + "quarterly report meeting tomorrow budget invoice travel photos weekend project release notes "
            + "server latency throughput budget holiday agenda minutes review draft final").split(" ");
    private static final String[] PEOPLE = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);

    private Messages() {
    }

    /** A message of about {@code size} bytes (at least its header). */
    public static byte[] message(RandomGenerator random, int size) {
        String from = PEOPLE[random.nextInt(PEOPLE.length)];
        String to = PEOPLE[random.nextInt(PEOPLE.length)];
        var date = ZonedDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.UTC).plusMinutes(random.nextInt(900_000));
        var sb = new StringBuilder(size + 512);
        sb.append("Return-Path: <").append(from).append("@example.org>\r\n")
          .append("Message-ID: <").append(Long.toHexString(random.nextLong())).append("@bench.example.org>\r\n")
          .append("Date: ").append(DATE.format(date)).append("\r\n")
          .append("From: \"").append(cap(from)).append("\" <").append(from).append("@example.org>\r\n")
          .append("To: ").append(to).append("@example.org\r\n")
          .append("Subject: ").append(words(random, 3 + random.nextInt(5))).append("\r\n")
          .append("MIME-Version: 1.0\r\n");
        int kind = random.nextInt(10);
        if (kind < 7) {
            sb.append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
            body(sb, random, size);
        } else if (kind < 9) {
            sb.append("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n")
              .append("--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n");
            body(sb, random, sb.length() + (size - sb.length()) / 2);
            sb.append("--b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>\r\n");
            body(sb, random, size - 30);
            sb.append("</p></body></html>\r\n--b1--\r\n");
        } else {
            sb.append("Content-Type: multipart/mixed; boundary=\"m1\"\r\n\r\n")
              .append("--m1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attachment.\r\n")
              .append("--m1\r\nContent-Type: application/octet-stream; name=\"data.bin\"\r\n")
              .append("Content-Transfer-Encoding: base64\r\n")
              .append("Content-Disposition: attachment; filename=\"data.bin\"\r\n\r\n");
            base64(sb, random, size - 10);
            sb.append("--m1--\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sizes like a real mailbox: mostly a few kB, a tail of bigger ones. */
    public static int typicalSize(RandomGenerator random) {
        int r = random.nextInt(100);
        if (r < 60) {
            return 1_000 + random.nextInt(4_000);
        }
        if (r < 95) {
            return 5_000 + random.nextInt(25_000);
        }
        return 30_000 + random.nextInt(170_000);
    }

    private static void body(StringBuilder sb, RandomGenerator random, int until) {
        int column = 0;
        while (sb.length() < until) {
            String w = WORDS[random.nextInt(WORDS.length)];
            sb.append(w);
            column += w.length() + 1;
            if (column > 70) {
                sb.append("\r\n");
                column = 0;
            } else {
                sb.append(' ');
            }
        }
        sb.append("\r\n");
    }

    private static void base64(StringBuilder sb, RandomGenerator random, int until) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        while (sb.length() < until) {
            for (int i = 0; i < 76; i++) {
                sb.append(alphabet.charAt(random.nextInt(64)));
            }
            sb.append("\r\n");
        }
    }

    private static String words(RandomGenerator random, int n) {
        var sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : " ").append(WORDS[random.nextInt(WORDS.length)]);
        }
        return sb.toString();
    }

    private static String cap(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
