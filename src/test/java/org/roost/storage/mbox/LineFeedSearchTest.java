package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link Exposure#indexOfLf} reads eight bytes at a time; it must find exactly what a byte-by-byte search finds. */
class LineFeedSearchTest {

    private static int plainSearch(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void everyPositionAndNeighbourOfAnLf() {
        // bytes that trip naive word tricks: LF's neighbours, its high-bit twin, zero, 0xFF, and 0x0B (LF + 1)
        byte[] hostile = {'\n', 0x0B, 0x09, (byte) 0x8A, 0, (byte) 0xFF, 0x01, (byte) 0x80, 'x'};
        for (int length = 0; length <= 40; length++) {
            for (int lf = -1; lf < length; lf++) {
                for (byte filler : hostile) {
                    if (filler == '\n') {
                        continue;
                    }
                    var b = new byte[length];
                    Arrays.fill(b, filler);
                    if (lf >= 0) {
                        b[lf] = '\n';
                    }
                    for (int from = 0; from <= length; from++) {
                        assertEquals(plainSearch(b, from, length), Exposure.indexOfLf(b, from, length),
                                "length " + length + ", LF at " + lf + ", filler " + filler + ", from " + from);
                    }
                }
            }
        }
    }

    @Test
    void seededRandomBuffers() {
        var random = new Random(20261206);
        for (int round = 0; round < 20_000; round++) {
            var b = new byte[random.nextInt(200)];
            random.nextBytes(b);
            if (round % 2 == 0) { // sparse LFs, as in text
                for (int i = 0; i < b.length; i++) {
                    if (b[i] == '\n') {
                        b[i] = 'a';
                    }
                }
                if (b.length > 0 && random.nextBoolean()) {
                    b[random.nextInt(b.length)] = '\n';
                }
            }
            int from = b.length == 0 ? 0 : random.nextInt(b.length + 1);
            int to = from + random.nextInt(b.length - from + 1);
            assertEquals(plainSearch(b, from, to), Exposure.indexOfLf(b, from, to), "round " + round);
        }
    }
}
