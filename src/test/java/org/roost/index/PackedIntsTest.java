package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** Packed ints read back as written, whatever their width, across word boundaries. */
class PackedIntsTest {
    @Test
    void everyWidthReadsBackWhatWasPacked() {
        var random = new Random(20);
        for (int bits = 0; bits <= 31; bits++) {
            var values = new int[1 + random.nextInt(300)];
            for (int i = 0; i < values.length; i++) {
                values[i] = bits == 0 ? 0 : random.nextInt(1 << (bits - 1), bits == 31 ? Integer.MAX_VALUE : 1 << bits);
            }
            var packed = new PackedInts(values);
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], packed.get(i), "bits " + bits + " at " + i);
            }
        }
    }

    @Test
    void aMillionRanksBelowTwoToTheTwentyTakeTwentyBitsEach() {
        var values = new int[1_000_000];
        values[7] = (1 << 20) - 1;
        assertEquals(16 + 2_500_000, new PackedInts(values).heapBytes());
    }

    @Test
    void negativeValuesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PackedInts(new int[] {3, -1}));
    }
}
