package org.roost.config;

import java.util.Locale;
import java.util.regex.Pattern;

/** Sizes as operators write them: {@code 1048576}, {@code 500k}, {@code 100M}, {@code 1G}, {@code 2T} (powers of 1024). */
public final class DataSize {
    private static final Pattern SIZE = Pattern.compile("(\\d{1,19})\\s*([bkmgt]?)");

    private DataSize() {}

    /**
     * The size in bytes; a bare number is taken in units of {@code bareUnit} bytes (Dovecot's quota
     * {@code storage=} counts kilobytes).
     *
     * @throws IllegalArgumentException when it is not a size, or more than 2^63-1 bytes
     */
    public static long parse(String text, long bareUnit) {
        var m = SIZE.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a size (use e.g. 1048576, 500k, 100M, 1G)");
        }
        long unit = switch (m.group(2)) {
            case "" -> bareUnit;
            case "b" -> 1;
            case "k" -> 1L << 10;
            case "m" -> 1L << 20;
            case "g" -> 1L << 30;
            default -> 1L << 40;
        };
        try {
            return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is too large");
        }
    }
}
