package org.roost.storage.mbox;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Seeded damaged mbox files: messages with broken and valid separator lines, lying and true
 * Content-Length headers, bookkeeping headers with bad values, NUL and CR bytes, quoted and unquoted
 * From lines, over-long lines, CRLF line ends, and files that end without a line end.
 */
final class MboxFuzz {
    private static final String[] SEPARATORS = {
        "From a@b Mon Jan  5 10:00:00 2026", "From nobody@vm  Sun Dec 06 15:33:56 2026", "From x Mon Jan 5 10:00 2026",
        "From broken line", "From x Mon Jan  5 10:00:00", "From  Tue Feb 29 23:59:59 2028 +0100", ">From x Mon Jan  5 10:00:00 2026",
    };
    private static final String[] HEADERS = {
        "Subject: fuzz", "X-UID: 7", "X-UID: -1", "X-UID: 99999999999999999999", "Status: RO", "Status: ",
        "X-Status: AFTDZ", "X-Keywords: a b $c ( d", "X-IMAPbase: 1 0000000009 kw", "X-IMAPbase: junk",
        "X-IMAP: 5 0000000001", "Content-Length: 0", "Content-Length: 12", "Content-Length: 99999999999999999999",
        "Lines: 2", " folded continuation", "\tfolded", "No-Colon-Here", ">From quoted header", "From: real@x",
    };
    private static final String[] BODY = {
        "plain line", "From a sentence", ">From quoted", ">>From twice", "From x Mon Jan  5 10:00:00 2026",
        "", "> not from", "F", ">", "From", "\u0000nul\u0000", "bare\rcr",
    };

    private MboxFuzz() {
    }

    static byte[] file(Random random) {
        var out = new ByteArrayOutputStream();
        int messages = random.nextInt(6);
        if (random.nextInt(8) == 0) {
            line(out, "leading garbage", random);
        }
        for (int m = 0; m < messages; m++) {
            line(out, SEPARATORS[random.nextInt(SEPARATORS.length)], random);
            int headers = random.nextInt(6);
            for (int h = 0; h < headers; h++) {
                line(out, HEADERS[random.nextInt(HEADERS.length)], random);
            }
            if (random.nextInt(5) > 0) {
                line(out, "", random);
            }
            int body = random.nextInt(8);
            for (int b = 0; b < body; b++) {
                line(out, random.nextInt(30) == 0 ? "y".repeat(Scanner.MAX_LINE + random.nextInt(100))
                        : BODY[random.nextInt(BODY.length)], random);
            }
            if (random.nextBoolean()) {
                line(out, "", random);
            }
        }
        var bytes = out.toByteArray();
        if (bytes.length > 0 && random.nextInt(4) == 0) {
            bytes = java.util.Arrays.copyOf(bytes, random.nextInt(bytes.length + 1)); // cut anywhere
        }
        return bytes;
    }

    private static void line(ByteArrayOutputStream out, String text, Random random) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
        if (random.nextInt(10) == 0) {
            out.write(random.nextInt(256));
        }
        out.writeBytes(random.nextInt(6) == 0 ? new byte[] {'\r', '\n'} : new byte[] {'\n'});
    }
}
