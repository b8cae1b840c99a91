package org.roost.storage.maildir;

import java.io.IOException;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Message keys and file names of a Maildir as UTF-8 bytes in large blocks, each named by a {@code long}
 * reference (block number in the high half, offset in the low half): a uid list or a listing of a
 * million names then holds a few blocks instead of a million strings, which a first open would allocate
 * at once and the collector copy into the old generation, and which later passes in another order
 * would find scattered over the heap. Append-only; a key's bytes are preceded by their length.
 */
final class KeyBytes {
    /** Blocks start small (most folders are) and double up to this. */
    private static final int MAX_BLOCK = 1 << 20;
    private static final int FIRST_BLOCK = 512;
    /** A plausible key has at most 255 characters, so at most 765 bytes: a length fits in two bytes. */
    private static final int MAX_KEY = 0xffff;
    private byte[][] blocks = new byte[0][];
    private int used;
    private long total;

    /** Stores the first {@code length} characters of {@code text}. */
    long add(String text, int length) {
        if (isAscii(text, length)) {
            long reference = reserve(length);
            var block = blocks[(int) (reference >>> 32)];
            int at = (int) reference + 2;
            for (int i = 0; i < length; i++) {
                block[at + i] = (byte) text.charAt(i);
            }
            return reference;
        }
        var bytes = text.substring(0, length).getBytes(StandardCharsets.UTF_8);
        return add(bytes, 0, bytes.length);
    }

    /** Stores {@code length} bytes of UTF-8 from {@code source}. */
    long add(byte[] source, int offset, int length) {
        long reference = reserve(length);
        System.arraycopy(source, offset, blocks[(int) (reference >>> 32)], (int) reference + 2, length);
        return reference;
    }

    /** Makes room for a key of {@code length} bytes and writes its length; returns its reference. */
    private long reserve(int length) {
        if (length > MAX_KEY) {
            throw new IllegalArgumentException("key of " + length + " bytes");
        }
        if (blocks.length == 0 || used + 2 + length > blocks[blocks.length - 1].length) {
            int size = blocks.length == 0 ? FIRST_BLOCK : Math.min(MAX_BLOCK, blocks[blocks.length - 1].length * 2);
            blocks = Arrays.copyOf(blocks, blocks.length + 1);
            blocks[blocks.length - 1] = new byte[Math.max(size, 2 + length)];
            used = 0;
        }
        var block = blocks[blocks.length - 1];
        block[used] = (byte) (length >>> 8);
        block[used + 1] = (byte) length;
        long reference = ((long) (blocks.length - 1) << 32) | used;
        used += 2 + length;
        total += 2 + length;
        return reference;
    }

    /** Bytes stored, live or not. */
    long total() {
        return total;
    }

    /**
     * The hash of a key: {@code String.hashCode} of its bytes taken as characters, which for a key of
     * ASCII (as Maildir names are) is the key's own {@code hashCode}.
     */
    int hash(long reference) {
        return hash(reference, length(reference));
    }

    /** {@link #hash(long)} of the first {@code length} characters of {@code text}, as if stored. */
    static int hash(String text, int length) {
        if (!isAscii(text, length)) {
            var bytes = text.substring(0, length).getBytes(StandardCharsets.UTF_8);
            int h = 0;
            for (byte b : bytes) {
                h = 31 * h + (b & 0xff);
            }
            return h;
        }
        int h = 0;
        for (int i = 0; i < length; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h;
    }

    /** Whether the key of {@code reference} is the first {@code length} characters of {@code text}. */
    boolean matches(long reference, String text, int length) {
        return matches(reference, length(reference), text, length);
    }

    /**
     * Whether the first {@code stored} bytes of the key of {@code reference} are the first {@code length}
     * characters of {@code text}.
     */
    boolean matches(long reference, int stored, String text, int length) {
        var block = blocks[(int) (reference >>> 32)];
        int at = (int) reference;
        if (!isAscii(text, length)) {
            var bytes = text.substring(0, length).getBytes(StandardCharsets.UTF_8);
            return Arrays.equals(block, at + 2, at + 2 + stored, bytes, 0, bytes.length);
        }
        if (stored != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (block[at + 2 + i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether two stored keys are equal. */
    boolean equal(long reference, long other) {
        int length = length(reference);
        return length == length(other) && equal(reference, other, length);
    }

    String string(long reference) {
        return string(reference, length(reference));
    }

    /** Stores the first {@code length} bytes of the key of {@code reference} in {@code source}. */
    long add(KeyBytes source, long reference, int length) {
        return add(source.blocks[(int) (reference >>> 32)], (int) reference + 2, length);
    }

    /** The position of the first {@code wanted} byte in the key of {@code reference}, or its length. */
    int indexOf(long reference, byte wanted) {
        var block = blocks[(int) (reference >>> 32)];
        int at = (int) reference;
        int length = length(block, at);
        for (int i = 0; i < length; i++) {
            if (block[at + 2 + i] == wanted) {
                return i;
            }
        }
        return length;
    }

    /** The byte at {@code index} of the key of {@code reference}. */
    byte byteAt(long reference, int index) {
        return blocks[(int) (reference >>> 32)][(int) reference + 2 + index];
    }

    /** {@link #hash(long)} of the first {@code length} bytes of the key of {@code reference}. */
    int hash(long reference, int length) {
        var block = blocks[(int) (reference >>> 32)];
        int h = 0;
        for (int i = (int) reference + 2, end = i + length; i < end; i++) {
            h = 31 * h + (block[i] & 0xff);
        }
        return h;
    }

    /** Whether the first {@code length} bytes of the keys of {@code reference} and {@code other} are equal. */
    boolean equal(long reference, long other, int length) {
        return equal(reference, this, other, length);
    }

    /** Whether the first {@code length} bytes of the key of {@code reference} and of {@code other} in {@code in} are equal. */
    boolean equal(long reference, KeyBytes in, long other, int length) {
        var a = blocks[(int) (reference >>> 32)];
        var b = in.blocks[(int) (other >>> 32)];
        int at = (int) reference + 2;
        int bt = (int) other + 2;
        return Arrays.equals(a, at, at + length, b, bt, bt + length);
    }

    /** The first {@code length} bytes of the key of {@code reference} as a string. */
    String string(long reference, int length) {
        return new String(blocks[(int) (reference >>> 32)], (int) reference + 2, length, StandardCharsets.UTF_8);
    }

    /** The length of the key of {@code reference} in bytes. */
    int length(long reference) {
        return length(blocks[(int) (reference >>> 32)], (int) reference);
    }

    /** Puts the bytes of the key of {@code reference} into {@code out}. */
    void put(long reference, ByteBuffer out) {
        var block = blocks[(int) (reference >>> 32)];
        int at = (int) reference;
        out.put(block, at + 2, length(block, at));
    }

    /** Copies the key of {@code reference} into {@code target}; returns its reference there. */
    long copyTo(KeyBytes target, long reference) {
        var block = blocks[(int) (reference >>> 32)];
        int at = (int) reference;
        return target.add(block, at + 2, length(block, at));
    }

    /** Writes the key of {@code reference} to {@code out} through {@code scratch} (of 256 chars or more). */
    void write(long reference, Writer out, char[] scratch) throws IOException {
        var block = blocks[(int) (reference >>> 32)];
        int at = (int) reference;
        int length = length(block, at);
        if (length > scratch.length) {
            out.write(string(reference));
            return;
        }
        for (int i = 0; i < length; i++) {
            byte b = block[at + 2 + i];
            if (b < 0) { // not ASCII: decoded as a whole
                out.write(string(reference));
                return;
            }
            scratch[i] = (char) b;
        }
        out.write(scratch, 0, length);
    }

    private static int length(byte[] block, int at) {
        return (block[at] & 0xff) << 8 | block[at + 1] & 0xff;
    }

    private static boolean isAscii(String text, int length) {
        for (int i = 0; i < length; i++) {
            if (text.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }
}
