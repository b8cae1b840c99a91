package org.roost.storage.mbox;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The {@code From_} line that starts each message of an mbox: {@code From <sender> <date>}, the date
 * in {@code asctime} form ({@code Mon Jan  5 10:00:00 2026}). What counts as a separator follows
 * Dovecot's {@code mbox_from_parse_date} and mutt's {@code is_from}: "From " at the start of a line,
 * then a sender (which may contain spaces), then a weekday, month, day, {@code hh:mm[:ss]}, an optional
 * named zone, a four-digit year and an optional numeric zone; a line that only starts with "From "
 * (a sentence in a body that the writer did not quote) is not one. Without a numeric zone the time is
 * local, as the writers meant it.
 */
final class FromLine {

    /** Longer lines are never taken for a separator: the date would have been found long before. */
    static final int MAX_LENGTH = 4096;
    private static final byte[] PREFIX = "From ".getBytes(StandardCharsets.US_ASCII);
    private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
        "Nov", "Dec"};
    static final String DEFAULT_SENDER = "MAILER-DAEMON";

    private FromLine() {
    }

    /** True when {@code length} bytes at {@code offset} start with "From ". */
    static boolean startsLikeOne(byte[] line, int offset, int length) {
        if (length < PREFIX.length) {
            return false;
        }
        for (int i = 0; i < PREFIX.length; i++) {
            if (line[offset + i] != PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The date of a separator line (without its line end), in epoch seconds, or {@code Long.MIN_VALUE}
     * when the line is no separator.
     */
    static long parse(byte[] line, int offset, int length, ZoneId zone) {
        if (length > MAX_LENGTH || !startsLikeOne(line, offset, length)) {
            return Long.MIN_VALUE;
        }
        int end = offset + length;
        // The sender is at least one byte up to a space; the date may start at any later space.
        for (int i = offset + PREFIX.length; i < end; i++) {
            if (line[i] == '\r' || line[i] == '\n') {
                return Long.MIN_VALUE;
            }
            if (line[i] == ' ' && (i + 1 < end && line[i + 1] != ' ')) {
                long date = dateAt(line, i + 1, end, zone);
                if (date != Long.MIN_VALUE) {
                    return date;
                }
            }
        }
        // "From  Mon Jan 5 ..." with an empty sender
        return dateAt(line, skipSpaces(line, offset + PREFIX.length, end), end, zone);
    }

    /**
     * Parses {@code Www Mmm d hh:mm[:ss] [ZONE] yyyy [+hhmm]} at {@code i}; anything may follow after a
     * space (qmail's "moreinfo"), as Dovecot allows.
     */
    private static long dateAt(byte[] b, int i, int end, ZoneId zone) {
        var p = new Cursor(b, i, end);
        if (p.word(WEEKDAYS) < 0 || !p.spaces()) {
            return Long.MIN_VALUE;
        }
        int month = p.word(MONTHS);
        if (month < 0 || !p.spaces()) {
            return Long.MIN_VALUE;
        }
        int day = p.number(1, 2);
        if (day < 0 || !p.spaces()) {
            return Long.MIN_VALUE;
        }
        int hour = p.number(1, 2);
        int minute = p.expect(':') ? p.number(2, 2) : -1;
        int second = p.expect(':') ? p.number(2, 2) : 0;
        if (hour < 0 || minute < 0 || second < 0 || !p.spaces()) {
            return Long.MIN_VALUE;
        }
        int year = p.number(4, 4);
        if (year < 0 && p.skipWord() && p.spaces()) {
            year = p.number(4, 4); // a named zone before the year ("EEST 2001"), taken as local time
        }
        if (year < 0) {
            return Long.MIN_VALUE;
        }
        if (!p.atWordEnd()) {
            return Long.MIN_VALUE;
        }
        int offsetMinutes = p.spaces() ? p.numericZone() : Integer.MIN_VALUE;
        try {
            var local = LocalDateTime.of(year, month + 1, Math.max(day, 1), hour, minute, second);
            return offsetMinutes == Integer.MIN_VALUE
                    ? ZonedDateTime.of(local, zone).toEpochSecond()
                    : local.toEpochSecond(ZoneOffset.ofTotalSeconds(offsetMinutes * 60));
        } catch (DateTimeException e) {
            return Long.MIN_VALUE;
        }
    }

    private static int skipSpaces(byte[] b, int i, int end) {
        while (i < end && b[i] == ' ') {
            i++;
        }
        return i;
    }

    /** A separator line (with its LF) for a message delivered at {@code date}, in {@code zone}'s local time. */
    static byte[] format(String sender, Instant date, ZoneId zone) {
        var t = ZonedDateTime.ofInstant(date, zone);
        var text = "From " + sender + " " + WEEKDAYS[t.getDayOfWeek().getValue() - 1] + " "
                + MONTHS[t.getMonthValue() - 1] + " " + (t.getDayOfMonth() < 10 ? " " : "") + t.getDayOfMonth()
                + " " + String.format("%02d:%02d:%02d %04d", t.getHour(), t.getMinute(), t.getSecond(), t.getYear())
                + "\n";
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** The tokens of a date, read left to right. */
    private static final class Cursor {
        private final byte[] b;
        private final int end;
        private int i;

        Cursor(byte[] b, int i, int end) {
            this.b = b;
            this.i = i;
            this.end = end;
        }

        /** The index of the three-letter name at the cursor (case-insensitive), or -1. */
        int word(String[] names) {
            if (i + 3 > end) {
                return -1;
            }
            for (int n = 0; n < names.length; n++) {
                var name = names[n];
                if (Character.toLowerCase(b[i]) == Character.toLowerCase(name.charAt(0))
                        && Character.toLowerCase(b[i + 1]) == Character.toLowerCase(name.charAt(1))
                        && Character.toLowerCase(b[i + 2]) == Character.toLowerCase(name.charAt(2))) {
                    i += 3;
                    return n;
                }
            }
            return -1;
        }

        /** Skips one or more spaces; false when there is none. */
        boolean spaces() {
            int start = i;
            while (i < end && b[i] == ' ') {
                i++;
            }
            return i > start;
        }

        /** A number of {@code min} to {@code max} digits, or -1. */
        int number(int min, int max) {
            int value = 0;
            int digits = 0;
            while (i < end && digits < max && b[i] >= '0' && b[i] <= '9') {
                value = value * 10 + (b[i++] - '0');
                digits++;
            }
            if (digits < min || (i < end && b[i] >= '0' && b[i] <= '9')) {
                return -1;
            }
            return value;
        }

        boolean expect(char c) {
            if (i < end && b[i] == c) {
                i++;
                return true;
            }
            return false;
        }

        /** Skips a run of letters (a named zone); false when there is none. */
        boolean skipWord() {
            int start = i;
            while (i < end && Character.isLetter(b[i])) {
                i++;
            }
            return i > start;
        }

        /** {@code +hhmm} or {@code -hhmm} in minutes, or {@code Integer.MIN_VALUE} (the cursor stays) when absent. */
        int numericZone() {
            if (i + 5 > end || (b[i] != '+' && b[i] != '-')) {
                return Integer.MIN_VALUE;
            }
            for (int k = 1; k <= 4; k++) {
                if (b[i + k] < '0' || b[i + k] > '9') {
                    return Integer.MIN_VALUE;
                }
            }
            int hours = (b[i + 1] - '0') * 10 + (b[i + 2] - '0');
            int minutes = (b[i + 3] - '0') * 10 + (b[i + 4] - '0');
            if (hours > 18 || minutes > 59) {
                return Integer.MIN_VALUE;
            }
            int sign = b[i] == '-' ? -1 : 1;
            i += 5;
            return sign * (hours * 60 + minutes);
        }

        /** The cursor is at the end of the line, a space, or the CR of a CRLF line end. */
        boolean atWordEnd() {
            return i == end || b[i] == ' ' || b[i] == '\t' || (b[i] == '\r' && i + 1 == end);
        }
    }
}
