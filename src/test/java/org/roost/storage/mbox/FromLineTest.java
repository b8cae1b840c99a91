package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** What counts as a separator line: Dovecot's and mutt's rules for a valid From_ line. */
class FromLineTest {
    private static final ZoneId UTC = ZoneOffset.UTC;

    private static long parse(String line) {
        var bytes = line.getBytes(StandardCharsets.ISO_8859_1);
        return FromLine.parse(bytes, 0, bytes.length, UTC);
    }

    private static long epoch(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    @Test
    void theFormsWritersUseAreSeparators() {
        long t = epoch("2026-01-05T10:00:00Z");
        assertEquals(t, parse("From alice@example.com Mon Jan  5 10:00:00 2026")); // asctime (postfix, procmail)
        assertEquals(t, parse("From nobody@vm  Mon Jan 05 10:00:00 2026")); // Dovecot: two spaces, zero-padded day
        assertEquals(t, parse("From MAILER-DAEMON Mon Jan 5 10:00 2026")); // no seconds (mutt accepts)
        assertEquals(t, parse("From x Mon Jan  5 10:00:00 EET 2026")); // a named zone before the year, ignored
        assertEquals(t - 3 * 3600, parse("From x Mon Jan  5 10:00:00 2026 +0300")); // a numeric zone after it
        assertEquals(t, parse("From \"a b\"@example.com Mon Jan  5 10:00:00 2026")); // a sender with a space
        assertEquals(t, parse("From  Mon Jan  5 10:00:00 2026")); // an empty sender
        assertEquals(t, parse("From x Mon Jan  5 10:00:00 2026 remote from host")); // qmail's moreinfo
        assertEquals(t, parse("From x mon jan  5 10:00:00 2026\r")); // any case; a CRLF line end
        assertEquals(t, parse("From x Sun Jan  5 10:00:00 2026")); // the weekday is not checked against the date
    }

    @Test
    void aSentenceThatStartsWithFromIsNotOne() {
        for (var line : new String[] {"From me to you", "From here on, Mon Jan 5 we meet", "From", "From ",
                "From x Mon Jan  5 10:00:00", "From x Mon Foo  5 10:00:00 2026", "From x Mon Jan 32 10:00:00 2026",
                "From x Mon Jan  5 25:00:00 2026", "From x Mon Jan  5 10:00:00 20266", "from x Mon Jan  5 10:00:00 2026",
                ">From x Mon Jan  5 10:00:00 2026", "From x Mon Jan  5 10:00:00 2026x", "From x\rMon Jan  5 10:00:00 2026"}) {
            assertEquals(Long.MIN_VALUE, parse(line), line);
        }
    }

    @Test
    void anOverlongLineIsNeverOne() {
        var line = "From " + "x".repeat(FromLine.MAX_LENGTH) + " Mon Jan  5 10:00:00 2026";
        assertEquals(Long.MIN_VALUE, parse(line));
    }

    @Test
    void whatRoostWritesReadsBackInAnyZone() {
        var random = new Random(4155);
        for (var zone : new ZoneId[] {UTC, ZoneId.of("Europe/Berlin"), ZoneId.of("America/Los_Angeles")}) {
            for (int i = 0; i < 500; i++) {
                var date = Instant.ofEpochSecond(random.nextLong(-2_000_000_000L, 10_000_000_000L));
                var line = FromLine.format("MAILER-DAEMON", date, zone);
                assertTrue(line[line.length - 1] == '\n');
                long parsed = FromLine.parse(line, 0, line.length - 1, zone);
                // A local time in the hour a clock goes back is ambiguous: either reading is an hour apart.
                long off = Math.abs(parsed - date.getEpochSecond());
                assertTrue(off == 0 || off == 3600, new String(line, StandardCharsets.US_ASCII) + " " + date);
            }
        }
    }

    @Test
    void randomLinesNeverThrow() {
        var random = new Random(20);
        var alphabet = "From Mon Jan Feb 0123456789:+- \r\nx".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < 20_000; i++) {
            var line = new byte[5 + random.nextInt(60)];
            System.arraycopy("From ".getBytes(StandardCharsets.US_ASCII), 0, line, 0, 5);
            for (int k = 5; k < line.length; k++) {
                line[k] = random.nextInt(4) == 0 ? (byte) random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
            }
            FromLine.parse(line, 0, line.length, UTC);
        }
        assertFalse(FromLine.startsLikeOne(new byte[] {'F', 'r', 'o'}, 0, 3));
    }
}
