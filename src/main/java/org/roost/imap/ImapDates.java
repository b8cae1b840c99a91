package org.roost.imap;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.format.SignStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;
import java.util.Map;

/** The date formats of RFC 3501 §9: {@code date-time} ("dd-Mon-yyyy hh:mm:ss +zzzz") and {@code date}. */
public final class ImapDates {
    private static final Map<Long, String> MONTHS = Map.ofEntries(
            Map.entry(1L, "Jan"), Map.entry(2L, "Feb"), Map.entry(3L, "Mar"), Map.entry(4L, "Apr"),
            Map.entry(5L, "May"), Map.entry(6L, "Jun"), Map.entry(7L, "Jul"), Map.entry(8L, "Aug"),
            Map.entry(9L, "Sep"), Map.entry(10L, "Oct"), Map.entry(11L, "Nov"), Map.entry(12L, "Dec"));

    private static final DateTimeFormatter DATE = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
            .appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
            .appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4)
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter DATE_TIME_OUT = new DateTimeFormatterBuilder()
            .appendValue(ChronoField.DAY_OF_MONTH, 2)
            .appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
            .appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral(' ')
            .appendPattern("HH:mm:ss xx")
            .toFormatter(Locale.ROOT);

    private static final DateTimeFormatter DATE_TIME_IN = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendValue(ChronoField.DAY_OF_MONTH, 1, 2, SignStyle.NOT_NEGATIVE)
            .appendLiteral('-')
            .appendText(ChronoField.MONTH_OF_YEAR, MONTHS)
            .appendLiteral('-')
            .appendValue(ChronoField.YEAR, 4)
            .appendLiteral(' ')
            .appendPattern("HH:mm:ss xx")
            .toFormatter(Locale.ROOT);

    private ImapDates() {}

    /** date-time; the day may be space-padded ({@code " 1-Jan-2020 ..."}). */
    public static ZonedDateTime parseDateTime(String text) throws ImapParseException {
        try {
            return ZonedDateTime.parse(text.stripLeading(), DATE_TIME_IN);
        } catch (DateTimeParseException e) {
            throw new ImapParseException("Invalid date-time: " + CommandParser.printable(text));
        }
    }

    public static LocalDate parseDate(String text) throws ImapParseException {
        try {
            return LocalDate.parse(text, DATE);
        } catch (DateTimeParseException e) {
            throw new ImapParseException("Invalid date: " + CommandParser.printable(text));
        }
    }

    /** INTERNALDATE as sent to clients, in the server's time zone. */
    public static String formatDateTime(Instant instant) {
        try {
            return instant.atZone(ZoneId.systemDefault()).format(DATE_TIME_OUT);
        } catch (DateTimeException e) {
            return Instant.EPOCH.atZone(ZoneId.systemDefault()).format(DATE_TIME_OUT);
        }
    }
}
