package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import org.roost.imap.protocol.ImapDates;


/**
 * An internal date as RFC 3501 {@code date-time} ({@code dd-Mon-yyyy hh:mm:ss +zzzz}) in the
 * server's zone: the bytes of {@link ImapDates#formatDateTime}, written by arithmetic instead of a
 * formatter (INTERNALDATE of every message of a large mailbox), with the offset
 * {@link ImapDates#displayOffset} chooses.
 */
public final class DateTimeText {
    private static final byte[][] MONTHS = months();
    private final ZoneRules rules = ZoneId.systemDefault().getRules();

    public void write(ResponseBuffer out, long epochSecond) throws IOException {
        long shown = ImapDates.shownSecond(epochSecond);
        int offset = ImapDates.displayOffset(rules, shown);
        long local = shown + offset;
        var day = LocalDate.ofEpochDay(Math.floorDiv(local, 86_400));
        int second = Math.floorMod(local, 86_400);
        twoDigits(out, day.getDayOfMonth());
        out.write('-');
        out.bytes(MONTHS[day.getMonthValue() - 1]);
        out.write('-');
        twoDigits(out, day.getYear() / 100);
        twoDigits(out, day.getYear() % 100);
        out.write(' ');
        twoDigits(out, second / 3600);
        out.write(':');
        twoDigits(out, second / 60 % 60);
        out.write(':');
        twoDigits(out, second % 60);
        out.write(' ');
        out.write(offset < 0 ? '-' : '+');
        int minutes = Math.abs(offset) / 60;
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
