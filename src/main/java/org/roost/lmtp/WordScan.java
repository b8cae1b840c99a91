package org.roost.lmtp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Looks at message bytes eight at a time (one {@code long}, "SIMD within a register"): where a byte is, and
 * whether a word holds any byte that the content checks must see one by one. A message is mostly plain
 * text between line ends, so most words are passed over whole.
 */
final class WordScan {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long CRS = ONES * '\r';
    private static final long LFS = ONES * '\n';

    private WordScan() {
    }

    /** The index of the first {@code LF} in {@code bytes[from, to)}, or -1. */
    static int indexOfLineFeed(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long zeroWhereLf = word(bytes, i) ^ LFS;
            long found = zeroBytes(zeroWhereLf);
            if (found != 0) {
                return i + Long.numberOfTrailingZeros(found) / Byte.SIZE;
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The end of the words from {@code from} on that hold only bytes 0x01-0x7F other than CR and LF: the
     * first index (a multiple of eight bytes on, or {@code to} when fewer than eight are left) whose word
     * may need a byte-by-byte look.
     */
    static int plainRun(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = word(bytes, i);
            if (((w & HIGHS) | zeroBytes(w) | zeroBytes(w ^ CRS) | zeroBytes(w ^ LFS)) != 0) {
                return i;
            }
        }
        return i;
    }

    private static long word(byte[] bytes, int index) {
        return (long) LONGS.get(bytes, index);
    }

    /**
     * The high bit of each byte of {@code w} that is zero, exact for the lowest one (the classic
     * {@code (w - 0x01..) & ~w & 0x80..} marks a byte above a zero byte falsely only when that byte is 0x01,
     * never below the first zero byte); callers test for none or use the lowest.
     */
    private static long zeroBytes(long w) {
        return (w - ONES) & ~w & HIGHS;
    }
}
