package org.roost.storage.maildir;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Orders message files by delivery time as Maildir names encode it
 * ({@code <seconds>.M<microseconds>...}), then by key, so files that lack a UID get theirs
 * in a stable, delivery-like order.
 */
final class DeliveryOrder {
    /** Rows sorted by seconds alone in one primitive sort: a row's index takes the low bits. */
    private static final int INDEX_BITS = 21;
    /** Larger seconds (and names without any) share the last value, which the run sort then orders. */
    private static final long LAST_SECONDS = (1L << (63 - INDEX_BITS)) - 1;
    /** A number is read up to this many digits (more would not fit a long). */
    private static final int MAX_DIGITS = 18;

    private DeliveryOrder() {
    }

    /**
     * {@code rows} of {@code listing} in the delivery order of their keys. Sorted by seconds as
     * primitives, read from the listing's names in place (a million objects sorted by a comparator take
     * most of a second, their longs a tenth of it), then each run of rows in the same second by
     * microseconds and key.
     */
    static int[] sorted(Listing listing, int[] rows) {
        if (rows.length >= 1 << INDEX_BITS) {
            return sortedByComparator(rows, listing::key);
        }
        var bySeconds = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            long seconds = listing.leadingNumber(rows[i], MAX_DIGITS);
            bySeconds[i] = (seconds < 0 ? LAST_SECONDS : Math.min(seconds, LAST_SECONDS)) << INDEX_BITS | i;
        }
        Arrays.sort(bySeconds);
        var out = new int[rows.length];
        for (int from = 0; from < rows.length; ) {
            int to = from + 1;
            while (to < rows.length && bySeconds[to] >>> INDEX_BITS == bySeconds[from] >>> INDEX_BITS) {
                to++;
            }
            for (int k = from; k < to; k++) {
                out[k] = rows[(int) (bySeconds[k] & ((1 << INDEX_BITS) - 1))];
            }
            if (to - from > 1) { // a run of one (most, for names of distinct seconds) is in place already
                var run = sortedByComparator(Arrays.copyOfRange(out, from, to), listing::key);
                System.arraycopy(run, 0, out, from, run.length);
            }
            from = to;
        }
        return out;
    }

    private static int[] sortedByComparator(int[] items, IntFunction<String> keyOf) {
        record Keyed(long seconds, long microseconds, String key, int item) {
        }
        var keyed = new Keyed[items.length];
        for (int i = 0; i < items.length; i++) {
            var key = keyOf.apply(items[i]);
            keyed[i] = new Keyed(seconds(key), microseconds(key), key, items[i]);
        }
        Arrays.sort(keyed, (a, b) -> a.seconds != b.seconds ? Long.compare(a.seconds, b.seconds)
                : a.microseconds != b.microseconds ? Long.compare(a.microseconds, b.microseconds)
                : a.key.compareTo(b.key));
        var out = new int[items.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = keyed[i].item;
        }
        return out;
    }

    private static long seconds(String base) {
        return leadingNumber(base, 0);
    }

    private static long microseconds(String base) {
        int dot = base.indexOf('.');
        return dot >= 0 && base.startsWith("M", dot + 1) ? leadingNumber(base, dot + 2) : 0;
    }

    private static long leadingNumber(String text, int from) {
        long value = 0;
        int digits = 0;
        for (int i = from; i < text.length() && digits < MAX_DIGITS && text.charAt(i) >= '0' && text.charAt(i) <= '9'; i++, digits++) {
            value = value * 10 + (text.charAt(i) - '0');
        }
        return digits == 0 ? Long.MAX_VALUE : value;
    }
}
