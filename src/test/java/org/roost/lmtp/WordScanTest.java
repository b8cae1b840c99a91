package org.roost.lmtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time searches against a byte loop, on seeded random bytes at every offset and length. */
class WordScanTest {

    @Test
    void findsTheFirstLineFeedLikeAByteLoop() {
        var random = new Random(8);
        for (int round = 0; round < 20_000; round++) {
            var slice = Slice.random(random);
            var bytes = slice.bytes();
            int from = slice.from();
            int to = slice.to();
            int expected = -1;
            for (int i = from; i < to && expected < 0; i++) {
                expected = bytes[i] == '\n' ? i : -1;
            }
            assertEquals(expected, WordScan.indexOfLineFeed(bytes, from, to), "round " + round);
        }
    }

    @Test
    void aPlainRunEndsAtTheFirstWordWithACrLfNulOrEightBitByte() {
        var random = new Random(80);
        for (int round = 0; round < 20_000; round++) {
            var slice = Slice.random(random);
            var bytes = slice.bytes();
            int from = slice.from();
            int to = slice.to();
            int run = WordScan.plainRun(bytes, from, to);
            assertEquals(0, (run - from) % Long.BYTES, "whole words");
            assertTrue(run <= to && to - run >= 0);
            for (int i = from; i < run; i++) {
                assertTrue(bytes[i] > 0 && bytes[i] != '\r' && bytes[i] != '\n', "round " + round + " byte " + i);
            }
            boolean special = false;
            for (int i = run; i < Math.min(to, run + Long.BYTES); i++) {
                special |= bytes[i] <= 0 || bytes[i] == '\r' || bytes[i] == '\n';
            }
            assertTrue(special || to - run < Long.BYTES, "stops only at a word that needs a look, round " + round);
        }
    }

    /**
     * {@code bytes[from, to)} of mostly plain text, with a few of the bytes that matter (CR, LF, NUL, 0x01
     * after NUL, 8-bit), at any offset and of any length.
     */
    private record Slice(byte[] bytes, int from, int to) {
        static Slice random(Random random) {
            var bytes = new byte[random.nextInt(100)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = random.nextInt(12) == 0 ? new byte[] {'\r', '\n', 0, 1, (byte) 0x80, (byte) 0xFF}[random.nextInt(6)]
                        : (byte) (' ' + random.nextInt(95));
            }
            int from = random.nextInt(bytes.length + 1);
            return new Slice(bytes, from, from + random.nextInt(bytes.length - from + 1));
        }
    }
}
