package org.roost.sieve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The comparators of RFC 4790 that Sieve names (RFC 5228 §2.7.3): {@code i;octet}, {@code i;ascii-casemap} and
 * {@code i;ascii-numeric}. Each gives equality, ordering and (but for the numeric one) the character equality that
 * :contains and :matches use.
 */
enum Comparator {
    OCTET, ASCII_CASEMAP, ASCII_NUMERIC;

    static Comparator named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "i;octet" -> OCTET;
            case "i;ascii-numeric" -> ASCII_NUMERIC;
            default -> ASCII_CASEMAP;
        };
    }

    boolean same(char a, char b) {
        return a == b || this == ASCII_CASEMAP && fold(a) == fold(b);
    }

    /** Negative, zero or positive as {@code a} sorts before, with or after {@code b}. */
    int compare(String a, String b) {
        return switch (this) {
            case OCTET -> Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
            case ASCII_CASEMAP -> Arrays.compareUnsigned(foldAll(a).getBytes(StandardCharsets.UTF_8),
                    foldAll(b).getBytes(StandardCharsets.UTF_8));
            case ASCII_NUMERIC -> compareNumbers(a, b);
        };
    }

    /**
     * RFC 4790 §9.1: the value of the leading digits; a string that starts with none is positive infinity, and two
     * such are equal. Digits are compared as text (no overflow whatever their count).
     */
    private static int compareNumbers(String a, String b) {
        var x = digits(a);
        var y = digits(b);
        if (x == null || y == null) {
            return x == null ? (y == null ? 0 : 1) : -1;
        }
        return x.length() != y.length() ? Integer.compare(x.length(), y.length()) : x.compareTo(y);
    }

    /** The leading digits without leading zeros ("" for zero); null when there are none. */
    private static String digits(String s) {
        int end = 0;
        while (end < s.length() && s.charAt(end) >= '0' && s.charAt(end) <= '9') {
            end++;
        }
        if (end == 0) {
            return null;
        }
        int start = 0;
        while (start < end && s.charAt(start) == '0') {
            start++;
        }
        return s.substring(start, end);
    }

    private static char fold(char c) {
        return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
    }

    private static String foldAll(String s) {
        var chars = s.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = fold(chars[i]);
        }
        return new String(chars);
    }
}
