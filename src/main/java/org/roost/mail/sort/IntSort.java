package org.roost.mail.sort;

import java.util.Arrays;

/**
 * A stable sort of an {@code int[]} by a comparator over its values (message numbers, rows), with
 * no boxed object per element: SORT over a million messages sorts a million ints.
 */
public final class IntSort {
    /** Compares two elements. */
    @FunctionalInterface
    public interface Comparator {
        int compare(int a, int b);
    }

    private static final int INSERTION_MAX = 16;

    private IntSort() {
    }

    /** 0, 1, ..., n - 1: positions to sort by what they point at. */
    public static int[] identity(int n) {
        var positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = i;
        }
        return positions;
    }

    /**
     * The positions 0..n-1 of {@code values} ordered by value, descending when {@code reverse}, equal
     * values in position order. Ranks (fewer distinct values than there are values) are counted into
     * place in linear time; when every value minus the least fits beside a position in a long (dates
     * do), value and position are packed into one long and sorted as primitives, several times faster
     * than {@link #sort} with a comparator; otherwise that sort serves.
     */
    public static int[] byValue(long[] values, boolean reverse) {
        int n = values.length;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (long value : values) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        int positionBits = 64 - Long.numberOfLeadingZeros(n);
        long span = max - min; // negative when it overflows
        if (n == 0 || span < 0 || span >>> (63 - positionBits) != 0) {
            var order = identity(n);
            sort(order, reverse ? (a, b) -> Long.compare(values[b], values[a])
                    : (a, b) -> Long.compare(values[a], values[b]));
            return order;
        }
        if (span < n) {
            return countingSort(values, reverse ? max : min, reverse, (int) span + 1);
        }
        var keys = new long[n];
        for (int i = 0; i < n; i++) {
            long key = reverse ? max - values[i] : values[i] - min;
            keys[i] = key << positionBits | i;
        }
        Arrays.sort(keys);
        long mask = (1L << positionBits) - 1;
        var order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = (int) (keys[i] & mask);
        }
        return order;
    }

    /**
     * Values that take fewer distinct keys than there are values (ranks: equal values share one) are
     * counted into their places, in one pass and stable: key = distance from {@code origin}.
     */
    private static int[] countingSort(long[] values, long origin, boolean reverse, int keys) {
        var starts = new int[keys + 1];
        for (long value : values) {
            starts[(int) (reverse ? origin - value : value - origin) + 1]++;
        }
        for (int k = 1; k <= keys; k++) {
            starts[k] += starts[k - 1];
        }
        var order = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            order[starts[(int) (reverse ? origin - values[i] : values[i] - origin)]++] = i;
        }
        return order;
    }

    /** Sorts {@code values} in place, keeping the order of equal elements (merge sort, no recursion deeper than log n). */
    public static void sort(int[] values, Comparator comparator) {
        var buffer = values.clone();
        for (int from = 0; from < values.length; from += INSERTION_MAX) {
            insertionSort(values, from, Math.min(values.length, from + INSERTION_MAX), comparator);
        }
        int[] source = values;
        int[] target = buffer;
        for (int width = INSERTION_MAX; width < values.length; width *= 2) {
            for (int from = 0; from < values.length; from += 2 * width) {
                int middle = Math.min(values.length, from + width);
                int end = Math.min(values.length, from + 2 * width);
                merge(source, target, from, middle, end, comparator);
            }
            int[] swap = source;
            source = target;
            target = swap;
        }
        if (source != values) {
            System.arraycopy(source, 0, values, 0, values.length);
        }
    }

    private static void insertionSort(int[] a, int from, int to, Comparator comparator) {
        for (int i = from + 1; i < to; i++) {
            int value = a[i];
            int j = i - 1;
            while (j >= from && comparator.compare(a[j], value) > 0) {
                a[j + 1] = a[j];
                j--;
            }
            a[j + 1] = value;
        }
    }

    private static void merge(int[] source, int[] target, int from, int middle, int end, Comparator comparator) {
        int i = from;
        int j = middle;
        for (int k = from; k < end; k++) {
            if (j >= end || i < middle && comparator.compare(source[i], source[j]) <= 0) {
                target[k] = source[i++];
            } else {
                target[k] = source[j++];
            }
        }
    }
}
