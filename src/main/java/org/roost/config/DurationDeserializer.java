package org.roost.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Accepts {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, plain seconds, or ISO-8601 ({@code PT30M}). */
final class DurationDeserializer extends StdScalarDeserializer<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    DurationDeserializer() {
        super(Duration.class);
    }

    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
        var text = p.getValueAsString();
        if (text == null) {
            return (Duration) ctx.handleUnexpectedToken(Duration.class, p);
        }
        var trimmed = text.strip().toLowerCase(Locale.ROOT);
        var m = SIMPLE.matcher(trimmed);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2) == null ? "s" : m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            return Duration.parse(text.strip().toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            return (Duration) ctx.handleWeirdStringValue(Duration.class, text,
                    "not a duration (use e.g. 500ms, 30s, 5m, 2h)");
        }
    }
}
