package org.roost.imap.protocol;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.time.zone.ZoneRules;
import java.util.Locale;
import java.util.Map;

/**
 * The date formats of RFC 3501 §9: {@code date-time} ("dd-Mon-yyyy hh:mm:ss +zzzz") and {@code date}.
 * Every date the grammar allows is kept (years 0000 to 9999, {@code date-year = 4DIGIT}); a date
 * no calendar has ({@code 31-Feb-2020}, {@code 24:00:00}, a zone beyond ±18:00) is a syntax error.
 */
public final class ImapDates {
    private static final Map<Long, String> MONTHS = Map.ofEntries(
            Map.entry(1L, "Jan"), Map.entry(2L, "Feb"), Map.entry(3L, "Mar"), Map.entry(4L, "Apr"),
            Map.entry(5L, "May"), Map.entry(6L, "Jun"), Map.entry(7L, "Jul"), Map.entry(8L, "Aug"),
            Map.entry(9L, "Sep"), Map.entry(10L, "Oct"), Map.entry(11L, "Nov"), Map.entry(12L, "Dec"));

    /** The first second of year 0000 and the last of year 9999, UTC. */
    private static final long FIRST_SECOND = LocalDate.of(0, 1, 1).toEpochDay() * 86_400;
    private static final long LAST_SECOND = LocalDate.of(10_000, 1, 1).toEpochDay() * 86_400 - 1;
    /** The largest zone offset {@code date-time} may carry here (Java's, and beyond any real zone's). */
    private static final int MAX_OFFSET = 18 * 3600;

    private static final DateTimeFormatter DATE = dateIn()
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private static final DateTimeFormatter DATE_TIME_OUT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
            .appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral(' ')
            .appendPattern("HH:mm:ss xx")
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter DATE_TIME_IN = dateIn()
            .appendLiteral(' ')
            .appendValue(ChronoField.HOUR_OF_DAY, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .appendLiteral(':')
            .appendValue(ChronoField.SECOND_OF_MINUTE, 2)
            .appendLiteral(' ')
            .appendOffset("+HHMM", "+0000")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private ImapDates() {}

    /** {@code date-day "-" date-month "-" date-year}, read case-insensitively: both inputs begin with it. */
    private static DateTimeFormatterBuilder dateIn() {
        return new DateTimeFormatterBuilder()
                .parseCaseInsensitive()
                .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
                .appendLiteral('-')
                .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
                .appendLiteral('-')
                .appendValue(ChronoField.YEAR, 4);
    }

    /** date-time; the day may be space-padded ({@code " 1-Jan-2020 ..."}). */
    public static ZonedDateTime parseDateTime(String text) throws ImapParseException {
        try {
            return ZonedDateTime.parse(text.stripLeading(), DATE_TIME_IN);
        } catch (DateTimeParseException e) {
            throw new ImapParseException("Invalid date-time: " + Arguments.printable(text));
        }
    }

    public static LocalDate parseDate(String text) throws ImapParseException {
        try {
            return LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapParseException("Invalid date: " + Arguments.printable(text));
        }
    }

    /** INTERNALDATE as sent to clients, in the server's time zone (see {@link #displayOffset}). */
    public static String formatDateTime(Instant instant) {
        long second = shownSecond(instant.getEpochSecond());
        var offset = ZoneOffset.ofTotalSeconds(displayOffset(ZoneId.systemDefault().getRules(), second));
        return LocalDateTime.ofEpochSecond(second, 0, offset).atOffset(offset).format(DATE_TIME_OUT);
    }

    /**
     * The zone offset, in whole minutes, that {@code epochSecond} (a {@link #shownSecond}) is shown
     * with: the server zone's then, its seconds dropped (some zones before 1972 have them; {@code date-time} cannot show
     * them, so the time shown moves with the offset and still names the same instant). Where that
     * would show a year outside 0000-9999 (a date appended as {@code 01-Jan-0000 00:00:00 +0100} in a
     * zone west of it), the offset that brings it to the nearest end of that range.
     */
    public static int displayOffset(ZoneRules rules, long epochSecond) {
        int offset = rules.getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds() / 60 * 60;
        long local = epochSecond + offset;
        if (local < FIRST_SECOND) {
            return (int) (Math.ceilDiv(FIRST_SECOND - epochSecond, 60) * 60);
        }
        if (local > LAST_SECOND) {
            return (int) -(Math.ceilDiv(epochSecond - LAST_SECOND, 60) * 60);
        }
        return offset;
    }

    /**
     * {@code epochSecond} within what {@code date-time} can name: from year 0000 at +18:00 to year
     * 9999 at -18:00. Dates the index took from elsewhere (a file's mtime) may lie beyond.
     */
    public static long shownSecond(long epochSecond) {
        return Math.max(FIRST_SECOND - MAX_OFFSET, Math.min(epochSecond, LAST_SECOND + MAX_OFFSET));
    }
}
