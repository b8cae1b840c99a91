package org.roost.imap.protocol.response;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.roost.imap.protocol.ImapDates;

/** INTERNALDATE by arithmetic gives the formatter's bytes, in zones with DST, half hours and pre-1972 second offsets. */
class DateTimeTextTest {
    private static final List<String> ZONES = List.of("UTC", "Europe/Berlin", "America/St_Johns", "Asia/Kolkata",
            "Australia/Lord_Howe", "Pacific/Kiritimati", "America/Havana", "Africa/Monrovia", "America/Sao_Paulo");

    @Test
    void writesWhatTheFormatterWrites() throws IOException {
        var saved = TimeZone.getDefault();
        try {
            for (var name : ZONES) {
                TimeZone.setDefault(TimeZone.getTimeZone(name));
                var text = new DateTimeText();
                for (long second : seconds(ZoneId.of(name))) {
                    var bytes = new ByteArrayOutputStream();
                    var out = new ResponseBuffer(bytes);
                    text.write(out, second);
                    out.drain();
                    assertEquals(ImapDates.formatDateTime(Instant.ofEpochSecond(second)),
                            bytes.toString(StandardCharsets.US_ASCII), name + " at " + second);
                }
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }

    /**
     * Internal dates: random ones in 1970-2106 and in years 0000-9999, the ends of both ranges and
     * beyond (shown as the nearest date {@code date-time} can name), and around each of the zone's transitions.
     */
    private static List<Long> seconds(ZoneId zone) {
        var random = new Random(zone.getId().hashCode());
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();
        var out = new ArrayList<Long>(List.of(0L, 1L, -1L, 0xFFFF_FFFFL, 1L << 32, 951_782_400L /* 29-Feb-2000 */,
                first, first - 1, first - 18 * 3600, first - 40 * 3600, last, last + 1, last + 18 * 3600,
                last + 40 * 3600, Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond()));
        for (int i = 0; i < 5000; i++) {
            out.add(random.nextLong(0, 1L << 32));
            out.add(random.nextLong(first, last));
        }
        var rules = zone.getRules();
        var t = rules.nextTransition(Instant.EPOCH.minusSeconds(86_400));
        while (t != null && t.getInstant().getEpochSecond() < 0xFFFF_FFFFL && out.size() < 20_000) {
            long at = t.getInstant().getEpochSecond();
            for (long d : new long[] {-3601, -1, 0, 1, 3599, 86_399}) {
                if (at + d >= 0) {
                    out.add(at + d);
                }
            }
            t = rules.nextTransition(t.getInstant());
        }
        return out;
    }
}
