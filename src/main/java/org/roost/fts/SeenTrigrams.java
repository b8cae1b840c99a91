package org.roost.fts;

import java.util.Arrays;

/**
 * The trigrams one text has given so far, each as its three UTF-16 units in a long: an open-addressing set,
 * cheaper than the index's own term hash (which compares the bytes of every term it finds again). One per text
 * (a long message's rest); it holds at most twice the slots of the text's distinct trigrams, at most its
 * length ({@code fts.maxTextChars}).
 */
final class SeenTrigrams {
    private static final int INITIAL_CAPACITY = 1 << 10;
    private long[] keys = new long[INITIAL_CAPACITY];
    private boolean[] used = new boolean[INITIAL_CAPACITY];
    private int size;

    static long key(char a, char b, char c) {
        return (long) a << 32 | (long) b << 16 | c;
    }

    /** Adds {@code key}; false when this text had it already. */
    boolean add(long key) {
        int mask = keys.length - 1;
        for (int slot = slot(key, mask); ; slot = (slot + 1) & mask) {
            if (!used[slot]) {
                keys[slot] = key;
                used[slot] = true;
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

    /** Forgets every key, for the text read again from its start. */
    void clear() {
        Arrays.fill(used, false);
        size = 0;
    }

    private void grow() {
        var oldKeys = keys;
        var oldUsed = used;
        keys = new long[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        int mask = keys.length - 1;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                int slot = slot(oldKeys[i], mask);
                while (used[slot]) {
                    slot = (slot + 1) & mask;
                }
                keys[slot] = oldKeys[i];
                used[slot] = true;
            }
        }
    }

    private static int slot(long key, int mask) {
        return (int) ((key * 0x9E3779B97F4A7C15L) >>> 40) & mask;
    }
}
