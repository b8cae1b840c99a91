package org.roost.mail;

import java.util.ArrayList;
import java.util.List;

/**
 * An IMAP sequence-set (RFC 3501 §9 {@code sequence-set}): ranges of message numbers or UIDs where
 * {@code *} stands for the largest number in use. Ranges may be written high:low. Or {@code $}
 * (RFC 5182 {@code seq-last-command}): the messages the last SEARCH (SAVE) found, which only the
 * session can name; it has no ranges.
 */
public record SequenceSet(List<Range> ranges) {
    /** {@code *} in a range. */
    public static final long STAR = -1;
    private static final SequenceSet SAVED = new SequenceSet(List.of());

    /** {@code $}: the saved search result (RFC 5182). */
    public static SequenceSet saved() {
        return SAVED;
    }

    /** Whether this is {@code $}, to be resolved against the session's saved search result. */
    public boolean isSaved() {
        return ranges.isEmpty();
    }

    /** One {@code a} or {@code a:b}; either end may be {@link #STAR}. */
    public record Range(long from, long to) {
        /** The inclusive bounds with {@code *} replaced by {@code largest}, low end first. */
        public long low(long largest) {
            return Math.min(resolve(from, largest), resolve(to, largest));
        }

        public long high(long largest) {
            return Math.max(resolve(from, largest), resolve(to, largest));
        }

        private static long resolve(long n, long largest) {
            return n == STAR ? largest : n;
        }
    }

    public static SequenceSet parse(String text) {
        var ranges = new ArrayList<Range>();
        for (var part : text.split(",", -1)) {
            int colon = part.indexOf(':');
            if (colon < 0) {
                long n = number(part);
                ranges.add(new Range(n, n));
            } else {
                ranges.add(new Range(number(part.substring(0, colon)), number(part.substring(colon + 1))));
            }
        }
        return new SequenceSet(List.copyOf(ranges));
    }

    private static long number(String s) {
        if (s.equals("*")) {
            return STAR;
        }
        if (s.isEmpty() || s.length() > 10 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("Invalid sequence set");
        }
        long n = Long.parseLong(s);
        if (n == 0 || n > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("Invalid sequence number " + s);
        }
        return n;
    }

    /** True when {@code n} is in the set, with {@code *} meaning {@code largest}. */
    public boolean contains(long n, long largest) {
        for (var r : ranges) {
            if (n >= r.low(largest) && n <= r.high(largest)) {
                return true;
            }
        }
        return false;
    }

    public boolean usesStar() {
        return ranges.stream().anyMatch(r -> r.from() == STAR || r.to() == STAR);
    }

    @Override
    public String toString() {
        if (isSaved()) {
            return "$";
        }
        var sb = new StringBuilder();
        for (var r : ranges) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(r.from() == STAR ? "*" : Long.toString(r.from()));
            if (r.from() != r.to()) {
                sb.append(':').append(r.to() == STAR ? "*" : Long.toString(r.to()));
            }
        }
        return sb.toString();
    }

    /** Compact text for a sorted list of numbers, e.g. {@code 1:3,7} (for COPYUID/APPENDUID). */
    public static String compact(long[] sorted) {
        var sb = new StringBuilder();
        for (int i = 0; i < sorted.length; i++) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[j] + 1) {
                j++;
            }
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(sorted[i]);
            if (j > i) {
                sb.append(':').append(sorted[j]);
            }
            i = j;
        }
        return sb.toString();
    }
}
