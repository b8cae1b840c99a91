package org.roost.imap.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** RFC 3501 §9 date and date-time: every date of the grammar, and nothing a calendar does not have. */
class ImapDatesTest {

    @Test
    void parsesEveryYearOfTheGrammar() throws ImapParseException {
        assertEquals(Instant.parse("0000-01-01T00:00:00Z"), ImapDates.parseDateTime("01-Jan-0000 00:00:00 +0000").toInstant());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), ImapDates.parseDateTime("31-Dec-9999 23:59:59 +0000").toInstant());
        assertEquals(Instant.parse("1999-12-31T23:30:00Z"), ImapDates.parseDateTime(" 1-jan-2000 00:30:00 +0100").toInstant());
        assertEquals(Instant.parse("2020-02-29T04:30:00Z"), ImapDates.parseDateTime("29-Feb-2020 10:00:00 +0530").toInstant());
        assertEquals(LocalDate.of(1, 1, 1), ImapDates.parseDate("1-Jan-0001"));
        assertEquals(LocalDate.of(2020, 2, 29), ImapDates.parseDate("29-feb-2020"));
    }

    @Test
    void refusesWhatNoCalendarHas() {
        for (var text : List.of("31-Feb-2020 00:00:00 +0000", "29-Feb-1900 00:00:00 +0000", "31-Jun-2020 00:00:00 +0000",
                "00-Jan-2020 00:00:00 +0000", "32-Jan-2020 00:00:00 +0000", "01-Jan-2020 24:00:00 +0000",
                "01-Jan-2020 00:60:00 +0000", "01-Jan-2020 00:00:60 +0000", "01-Jan-2020 00:00:00 +0099",
                "01-Jan-2020 00:00:00 +1900", "01-Jan-2020 00:00:00 0000", "01-Jan-2020 00:00:00 +00:00",
                "01-Foo-2020 00:00:00 +0000", "01-Jan-202 00:00:00 +0000", "01-Jan-2020 0:00:00 +0000",
                "01-Jan-2020 00:00:00 +0000 ", "")) {
            assertThrows(ImapParseException.class, () -> ImapDates.parseDateTime(text), text);
        }
        for (var text : List.of("31-Feb-2020", "29-Feb-2021", "0-Jan-2020", "1-Jan-20", "1-Jan--001", "1-Jan-2020x")) {
            assertThrows(ImapParseException.class, () -> ImapDates.parseDate(text), text);
        }
    }

    /** Seeded: a date-time shown in any zone parses back to the same instant, its year in 0000-9999. */
    @Test
    void whatIsShownParsesBackToTheSameInstant() throws ImapParseException {
        var random = new Random(3501);
        long first = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond() - 18 * 3600;
        long last = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond() + 18 * 3600;
        var zones = List.of(ZoneOffset.UTC, ZoneId.of("Asia/Kolkata"), ZoneId.of("America/St_Johns"),
                ZoneId.of("Pacific/Kiritimati"), ZoneId.of("Africa/Monrovia"), ZoneOffset.ofHours(-12));
        for (int i = 0; i < 20_000; i++) {
            long second = i < 4 ? new long[] {first, last, first + 1, last - 1}[i] : random.nextLong(first, last + 1);
            var rules = zones.get(i % zones.size()).getRules();
            int offset = ImapDates.displayOffset(rules, second);
            assertEquals(0, offset % 60, "whole minutes");
            var shown = java.time.LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.ofTotalSeconds(offset));
            var text = String.format("%02d-%s-%04d %02d:%02d:%02d %s%02d%02d", shown.getDayOfMonth(),
                    shown.getMonth().getDisplayName(java.time.format.TextStyle.SHORT, java.util.Locale.ROOT),
                    shown.getYear(), shown.getHour(), shown.getMinute(), shown.getSecond(), offset < 0 ? "-" : "+",
                    Math.abs(offset) / 3600, Math.abs(offset) / 60 % 60);
            assertEquals(second, ImapDates.parseDateTime(text).toEpochSecond(), text);
        }
    }
}
