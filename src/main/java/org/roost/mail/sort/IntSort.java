package org.roost.mail.sort;

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
