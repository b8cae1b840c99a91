package org.roost.fts;

import java.util.Arrays;

/**
 * The trigrams one text has given so far, each as its three UTF-16 units in a long: an open-addressing set
 * that forgets everything at {@link #clear} without touching its arrays (a slot belongs to the current text
 * only when it carries the current stamp), so that a text of a few trigrams does not pay for a table a long
 * one grew. It holds at most twice the slots of the distinct trigrams of one text (at most its length,
 * {@code fts.maxTextChars}), and lets a table past {@link #KEPT_CAPACITY} go after the text that grew it.
 */
final class SeenTrigrams {
    private static final int INITIAL_CAPACITY = 1 << 10;
    /** 3 MB: a table of 128k trigrams, which a 100 kB text of words does not reach. */
    private static final int KEPT_CAPACITY = 1 << 18;
    private long[] keys = new long[INITIAL_CAPACITY];
    private int[] stamps = new int[INITIAL_CAPACITY];
    private int stamp = 1;
    private int size;

    static long key(char a, char b, char c) {
        return (long) a << 32 | (long) b << 16 | c;
    }

    /** Adds {@code key}; false when this text had it already. */
    boolean add(long key) {
        int mask = keys.length - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            if (stamps[slot] != stamp) {
                keys[slot] = key;
                stamps[slot] = stamp;
                if (++size > keys.length / 2) {
                    grow();
                }
                return true;
            }
            if (keys[slot] == key) {
                return false;
            }
        }
    }

    /** Forgets every key, for the next text. */
    void clear() {
        size = 0;
        if (keys.length > KEPT_CAPACITY) {
            keys = new long[INITIAL_CAPACITY];
            stamps = new int[INITIAL_CAPACITY];
        } else if (++stamp == Integer.MAX_VALUE) { // once in two billion texts: the old stamps could come back
            Arrays.fill(stamps, 0);
            stamp = 1;
        }
    }

    private void grow() {
        var oldKeys = keys;
        var oldStamps = stamps;
        keys = new long[oldKeys.length * 2];
        stamps = new int[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldStamps[i] == stamp) {
                int slot = slot(oldKeys[i], mask);
                while (stamps[slot] == stamp) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                stamps[slot] = stamp;
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
