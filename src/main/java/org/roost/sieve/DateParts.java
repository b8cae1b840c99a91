package org.roost.sieve;

import static java.util.Map.entry;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.JulianFields;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** The {@code date} and {@code currentdate} tests' date parts (RFC 5260 §4.2 and §5). */
final class DateParts {
    private static final Pattern COMMENT = Pattern.compile("\\([^()]*\\)");
    private static final DateTimeFormatter ZONE = DateTimeFormatter.ofPattern("xx", Locale.ROOT);
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("d MMM yyyy H:mm[:ss] xx",
            Locale.ROOT);
    private static final DateTimeFormatter STD11 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx",
            Locale.ROOT);

    private DateParts() {}

    /** The asked part of the date as a one-value list; empty when the header is missing or holds no date. */
    static List<String> values(Node test, Run run, Interpreter interpreter) {
        boolean current = test.name().equals("currentdate");
        var part = interpreter.string(test, current ? 0 : 1).toLowerCase(Locale.ROOT);
        Optional<ZonedDateTime> date;
        if (current) {
            date = Optional.of(run.now);
        } else {
            var headers = TestEvaluator.indexed(test, run.message.header(interpreter.string(test, 0)));
            date = headers.isEmpty() ? Optional.empty() : parse(headers.getFirst());
        }
        if (date.isEmpty() || !SieveCompiler.DATE_PARTS.contains(part)) {
            return List.of();
        }
        var zoned = date.get();
        if (test.has("zone")) {
            zoned = zoned.withZoneSameInstant(ZoneOffset.of(interpreter.expand(test.tagString("zone").orElseThrow())));
        } else if (!test.has("originalzone") && !current) {
            zoned = zoned.withZoneSameInstant(ZoneId.systemDefault());
        }
        return List.of(part(zoned, part));
    }

    /** An RFC 5322 date-time, comments removed; the day name is optional. */
    static Optional<ZonedDateTime> parse(String value) {
        var text = COMMENT.matcher(value).replaceAll(" ").strip().replaceAll("\\s+", " ");
        if (text.length() > 4 && text.charAt(3) == ',') {
            text = text.substring(4).strip();
        }
        int space = text.lastIndexOf(' ');
        if (space > 0) {
            var zone = OBSOLETE_ZONES.get(text.substring(space + 1).toUpperCase(Locale.ROOT));
            if (zone != null) {
                text = text.substring(0, space + 1) + zone;
            }
        }
        try {
            return Optional.of(ZonedDateTime.parse(text, RFC5322));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** RFC 5322 §4.3's obsolete zone names. */
    private static final Map<String, String> OBSOLETE_ZONES = Map.ofEntries(
            entry("UT", "+0000"), entry("GMT", "+0000"), entry("Z", "+0000"),
            entry("EST", "-0500"), entry("EDT", "-0400"),
            entry("CST", "-0600"), entry("CDT", "-0500"),
            entry("MST", "-0700"), entry("MDT", "-0600"),
            entry("PST", "-0800"), entry("PDT", "-0700"));

    private static String part(ZonedDateTime d, String part) {
        return switch (part) {
            case "year" -> String.format(Locale.ROOT, "%04d", d.getYear());
            case "month" -> String.format(Locale.ROOT, "%02d", d.getMonthValue());
            case "day" -> String.format(Locale.ROOT, "%02d", d.getDayOfMonth());
            case "date" -> String.format(Locale.ROOT, "%04d-%02d-%02d", d.getYear(), d.getMonthValue(), d.getDayOfMonth());
            case "julian" -> String.valueOf(LocalDate.from(d).getLong(JulianFields.MODIFIED_JULIAN_DAY));
            case "hour" -> String.format(Locale.ROOT, "%02d", d.getHour());
            case "minute" -> String.format(Locale.ROOT, "%02d", d.getMinute());
            case "second" -> String.format(Locale.ROOT, "%02d", d.getSecond());
            case "time" -> String.format(Locale.ROOT, "%02d:%02d:%02d", d.getHour(), d.getMinute(), d.getSecond());
            case "iso8601" -> d.withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            case "std11" -> d.format(STD11);
            case "zone" -> d.format(ZONE);
            default -> String.valueOf(d.getDayOfWeek().getValue() % 7);
        };
    }
}
