package org.roost.mail.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packed numbers read back as written, whatever their span, across word boundaries. */
class PackedLongsTest {
    @Test
    void everySpanReadsBackWhatWasPacked() {
        var random = new Random(20);
        for (int bits = 0; bits <= 64; bits++) {
            var values = new long[1 + random.nextInt(300)];
            long base = random.nextLong();
            for (int i = 0; i < values.length; i++) {
                long distance = bits == 0 ? 0 : bits == 64 ? random.nextLong() : random.nextLong() & ((1L << bits) - 1);
                values[i] = bits == 64 ? distance : base / 2 + distance;
            }
            var packed = PackedLongs.of(values);
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], packed.get(i), "bits " + bits + " at " + i);
            }
        }
    }

    @Test
    void extremesAndNegativesReadBack() {
        long[] values = {Long.MIN_VALUE, Long.MAX_VALUE, -1, 0, 1};
        var packed = PackedLongs.of(values);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], packed.get(i));
        }
        var ids = PackedLongs.of(new int[] {-1, 5, -1, Integer.MAX_VALUE});
        assertEquals(-1, ids.getInt(0));
        assertEquals(Integer.MAX_VALUE, ids.getInt(3));
        assertEquals(0, PackedLongs.of(new long[0]).size());
    }

    @Test
    void aMillionRanksBelowTwoToTheTwentyTakeTwentyBitsEach() {
        var values = new int[1_000_000];
        values[7] = (1 << 20) - 1;
        assertEquals(40 + 2_500_000, PackedLongs.of(values).heapBytes());
    }
}
