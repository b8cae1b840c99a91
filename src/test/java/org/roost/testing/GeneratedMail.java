package org.roost.testing;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Messages generated from a seed with what decides text search: words in mixed case and with accents,
 * headers encoded as RFC 2047 words (B and Q) and as raw UTF-8, bodies in quoted-printable and base64,
 * ISO-8859-1 and UTF-8, HTML alternatives, attached messages, non-text attachments and long lines.
 * {@link #word} gives words (and pieces of words) that occur, so searches find something. Attachments
 * (application/octet-stream) hold words only when asked: otherwise random bytes, which have no text.
 */
public final class GeneratedMail {
    public static final List<String> WORDS = List.of("invoice", "Meeting", "budget", "Köln", "Zoë", "straße",
            "résumé", "naïve", "quarterly", "REPORT", "holiday", "Übergröße", "deadline", "project", "ship",
            "lunch", "Åsa", "café", "server", "kernel", "ſtrange", "ﬁle", "Ωmega", "日本語", "déjà");
    private static final List<String> NAMES = List.of("Alice Example", "Bob Ström", "Zoë Martin", "Jörg Müller",
            "Carol", "Dave O'Brien");
    private final Random random;
    private final boolean wordyAttachments;

    public GeneratedMail(Random random) {
        this(random, false);
    }

    public GeneratedMail(Random random, boolean wordyAttachments) {
        this.random = random;
        this.wordyAttachments = wordyAttachments;
    }

    /** A word of {@link #WORDS}, sometimes only a piece of one, in a random case. */
    public String word() {
        String w = WORDS.get(random.nextInt(WORDS.size()));
        if (random.nextInt(3) == 0 && w.length() > 3) {
            int from = random.nextInt(w.length() - 2);
            w = w.substring(from, random.nextInt(from + 1, w.length() + 1));
        }
        return switch (random.nextInt(3)) {
            case 0 -> w.toUpperCase(java.util.Locale.ROOT);
            case 1 -> w.toLowerCase(java.util.Locale.ROOT);
            default -> w;
        };
    }

    public String words(int count) {
        var out = new StringBuilder();
        for (int i = 0; i < count; i++) {
            out.append(i == 0 ? "" : " ").append(word());
        }
        return out.toString();
    }

    /** One message, CRLF line ends. */
    public byte[] message(int n) {
        var out = new StringBuilder();
        out.append("From: ").append(address()).append("\r\n");
        out.append("To: ").append(address()).append(", ").append(address()).append("\r\n");
        if (random.nextBoolean()) {
            out.append("Cc: ").append(address()).append("\r\n");
        }
        if (random.nextInt(4) == 0) {
            out.append("Bcc: ").append(address()).append("\r\n");
        }
        out.append("Subject: ").append(headerText(words(random.nextInt(1, 5)) + " " + n)).append("\r\n");
        out.append("Message-ID: <").append(n).append('.').append(word().replaceAll("[^A-Za-z]", "x"))
                .append("@example.org>\r\n");
        if (random.nextInt(3) == 0) {
            out.append("List-Id: ").append(words(2)).append(" <list").append(random.nextInt(5)).append(".example.org>\r\n");
        }
        out.append("X-Note: ").append(words(2)).append("\r\n");
        out.append("Date: Mon, 3 Jun 2024 10:00:00 +0000\r\nMIME-Version: 1.0\r\n");
        out.append(body(2));
        return out.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /** "Content-Type…\r\n\r\nbody" as one char per byte. */
    private String body(int depth) {
        int kind = random.nextInt(depth > 0 ? 7 : 4);
        return switch (kind) {
            case 0 -> "Content-Type: text/plain; charset=utf-8\r\n\r\n" + bytes(paragraphs(), StandardCharsets.UTF_8);
            case 1 -> "Content-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                    + quotedPrintable(paragraphs().getBytes(StandardCharsets.ISO_8859_1));
            case 2 -> "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                    + Base64.getMimeEncoder().encodeToString(paragraphs().getBytes(StandardCharsets.UTF_8)) + "\r\n";
            case 3 -> "Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>"
                    + bytes(paragraphs(), StandardCharsets.UTF_8) + "</p></body></html>\r\n";
            case 4 -> multipart("alternative", depth);
            case 5 -> multipart("mixed", depth);
            default -> "Content-Type: message/rfc822\r\n\r\nSubject: " + headerText(words(3)) + "\r\nFrom: " + address()
                    + "\r\n" + body(depth - 1);
        };
    }

    private String multipart(String subtype, int depth) {
        String boundary = "b" + random.nextInt(1_000_000);
        var out = new StringBuilder("Content-Type: multipart/" + subtype + "; boundary=\"" + boundary + "\"\r\n\r\n");
        int parts = random.nextInt(1, 4);
        for (int i = 0; i < parts; i++) {
            out.append("--").append(boundary).append("\r\n");
            if (random.nextInt(5) == 0) {
                out.append("Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                        .append(Base64.getMimeEncoder().encodeToString(attachment()))
                        .append("\r\n");
            } else {
                out.append(body(depth - 1));
            }
        }
        return out.append("--").append(boundary).append("--\r\n").toString();
    }

    private byte[] attachment() {
        if (wordyAttachments) {
            return words(5).getBytes(StandardCharsets.UTF_8);
        }
        var bytes = new byte[random.nextInt(16, 200)];
        random.nextBytes(bytes);
        bytes[0] = 0; // binary to any detector
        return bytes;
    }

    private String paragraphs() {
        var out = new StringBuilder();
        int lines = random.nextInt(1, 8);
        for (int i = 0; i < lines; i++) {
            out.append(words(random.nextInt(1, random.nextInt(10) == 0 ? 200 : 12))).append("\r\n");
        }
        return out.toString();
    }

    private String address() {
        String name = NAMES.get(random.nextInt(NAMES.size()));
        String mailbox = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z]", "");
        return headerText(name) + " <" + mailbox + "@" + (random.nextBoolean() ? "example.org" : "Mail.Example.COM") + ">";
    }

    /** Header text as it comes: plain, raw UTF-8, or RFC 2047 B or Q words. */
    private String headerText(String text) {
        return switch (random.nextInt(4)) {
            case 0 -> text.chars().allMatch(c -> c < 128) ? text : bytes(text, StandardCharsets.UTF_8);
            case 1 -> bytes(text, StandardCharsets.UTF_8);
            case 2 -> "=?UTF-8?B?" + Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)) + "?=";
            default -> "=?ISO-8859-1?Q?" + quotedPrintable(text.getBytes(StandardCharsets.ISO_8859_1))
                    .replace("=\r\n", "").replace(" ", "_").replace("?", "=3F").strip() + "?=";
        };
    }

    /** The bytes of {@code text} in {@code charset}, one char per byte. */
    private static String bytes(String text, Charset charset) {
        return new String(text.getBytes(charset), StandardCharsets.ISO_8859_1);
    }

    private static String quotedPrintable(byte[] bytes) {
        var out = new StringBuilder();
        int column = 0;
        for (byte b : bytes) {
            int c = b & 0xff;
            String piece = c == '\r' || c == '\n' ? String.valueOf((char) c)
                    : c >= 33 && c <= 126 && c != '=' || c == ' ' ? String.valueOf((char) c)
                    : String.format("=%02X", c);
            if (c == '\n') {
                column = 0;
            } else if (column + piece.length() > 72) {
                out.append("=\r\n");
                column = 0;
            }
            out.append(piece);
            column += c == '\n' ? 0 : piece.length();
        }
        return out.append("\r\n").toString();
    }
}
