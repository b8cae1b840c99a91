package org.roost.imap.fetch;

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
import org.roost.imap.ImapDates;
import org.roost.imap.ResponseBuffer;

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

    /** Internal dates are unsigned 32-bit seconds: random ones, the ends, and around each of the zone's transitions. */
    private static List<Long> seconds(ZoneId zone) {
        var random = new Random(zone.getId().hashCode());
        var out = new ArrayList<Long>(List.of(0L, 1L, 0xFFFF_FFFFL, 951_782_400L /* 29-Feb-2000 */));
        for (int i = 0; i < 5000; i++) {
            out.add(random.nextLong(0, 1L << 32));
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
