package org.roost.imap.fetch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import org.roost.imap.ImapDates;
import org.roost.imap.ResponseBuffer;

/**
 * An internal date as RFC 3501 {@code date-time} ({@code dd-Mon-yyyy hh:mm:ss +zzzz}) in the
 * server's zone: the bytes of {@link ImapDates#formatDateTime}, written by arithmetic instead of a
 * formatter (INTERNALDATE of every message of a large mailbox). An offset with seconds (some zones
 * before 1972) shows its hours and minutes, as the formatter's {@code xx} does.
 */
final class DateTimeText {
    private static final byte[][] MONTHS = months();
    private final ZoneRules rules = ZoneId.systemDefault().getRules();
    /** The offset in seconds when the zone has only one, else null. */
    private final Integer fixedOffset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH).getTotalSeconds() : null;

    void write(ResponseBuffer out, long epochSecond) throws IOException {
        int offset = fixedOffset != null ? fixedOffset
                : rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
        long local = epochSecond + offset;
        var day = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400));
        int second = (int) Math.floorMod(local, 86_400);
        twoDigits(out, day.getDayOfMonth());
        out.write('-');
        out.bytes(MONTHS[day.getMonthValue() - 1]);
        out.write('-');
        out.number(day.getYear());
        out.write(' ');
        twoDigits(out, second / 3600);
        out.write(':');
        twoDigits(out, second / 60 % 60);
        out.write(':');
        twoDigits(out, second % 60);
        out.write(' ');
        out.write(offset < 0 ? '-' : '+');
        int minutes = Math.abs(offset) / 60; // seconds dropped
        twoDigits(out, minutes / 60);
        twoDigits(out, minutes % 60);
    }

    private static void twoDigits(ResponseBuffer out, int value) throws IOException {
        out.write('0' + value / 10);
        out.write('0' + value % 10);
    }

    private static byte[][] months() {
        var names = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");
        var out = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            out[i] = names[i].getBytes(StandardCharsets.US_ASCII);
        }
        return out;
    }
}
