package org.roost.index;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.roost.storage.MailboxStore;

/**
 * The storage keys of one mailbox's messages (Maildir base names, about 50 bytes each), kept out
 * of the object heap as length-prefixed bytes: the first chunk is the key section of the
 * memory-mapped index file, later chunks are small heap blocks for keys that arrived since.
 * Append-only and shared by every {@link MessageTable} of the mailbox; a key is named by a
 * {@code long} reference (chunk number in the high half, offset in the low half). Written only
 * under the mailbox's lock; readers see a chunk through a table published after the write.
 */
final class KeyArena {
    /** Heap chunks start small (most mailboxes get few new keys while open) and double up to this. */
    private static final int MAX_CHUNK = 64 * 1024;
    private static final int FIRST_CHUNK = 1024;
    private static final int MAX_KEY = 0xffff;
    private volatile ByteBuffer[] chunks;
    private ByteBuffer tail;

    KeyArena() {
        this.chunks = new ByteBuffer[0];
    }

    /** An arena whose first chunk is {@code base} (e.g. a mapped key section) holding {@code baseLength} bytes. */
    KeyArena(ByteBuffer base) {
        this.chunks = new ByteBuffer[] {base};
    }

    static long reference(int chunk, int offset) {
        return ((long) chunk << 32) | (offset & 0xffff_ffffL);
    }

    /** Stores a key and returns its reference. */
    long add(String key) {
        // A key of ASCII (as Maildir names are) goes in char by char: a first open adds a million.
        var bytes = isAscii(key) ? null : key.getBytes(StandardCharsets.UTF_8);
        int length = Math.min(bytes == null ? key.length() : bytes.length, MAX_KEY);
        long reference = reserve(length);
        if (bytes != null) {
            tail.put(bytes, 0, length);
        } else {
            for (int i = 0; i < length; i++) {
                tail.put((byte) key.charAt(i));
            }
        }
        return reference;
    }

    /** Stores the key of a scanned message, copied from the driver's bytes (a first open adds a million). */
    long add(MailboxStore.ScanRow row) {
        int length = row.keyLength();
        if (length > MAX_KEY) {
            return add(row.key());
        }
        long reference = reserve(length);
        row.putKey(tail);
        return reference;
    }

    /** Makes room for a key of {@code length} bytes and puts its length; the key's bytes follow at the tail. */
    private long reserve(int length) {
        if (tail == null || tail.remaining() < length + 2) {
            int size = tail == null ? FIRST_CHUNK : Math.min(MAX_CHUNK, tail.capacity() * 2);
            tail = ByteBuffer.allocate(Math.max(size, length + 2));
            var grown = Arrays.copyOf(chunks, chunks.length + 1);
            grown[grown.length - 1] = tail;
            chunks = grown;
        }
        int offset = tail.position();
        tail.putShort((short) length);
        return reference(chunks.length - 1, offset);
    }

    private static boolean isAscii(String key) {
        for (int i = 0; i < key.length(); i++) {
            if (key.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** The length in bytes of the key of {@code reference}. */
    int length(long reference) {
        return Short.toUnsignedInt(chunks[(int) (reference >>> 32)].getShort((int) reference));
    }

    /** Puts the bytes of the key of {@code reference} into {@code out}, without making it a string. */
    void copy(long reference, ByteBuffer out) {
        var chunk = chunks[(int) (reference >>> 32)];
        int offset = (int) reference;
        int length = Short.toUnsignedInt(chunk.getShort(offset));
        out.put(out.position(), chunk, offset + 2, length).position(out.position() + length);
    }

    String get(long reference) {
        var chunk = chunks[(int) (reference >>> 32)];
        int offset = (int) reference;
        int length = Short.toUnsignedInt(chunk.getShort(offset));
        var bytes = new byte[length];
        chunk.get(offset + 2, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Heap bytes held by the arena's own chunks (a mapped chunk costs no heap). */
    long heapBytes() {
        long n = 0;
        for (var c : chunks) {
            if (!c.isDirect()) {
                n += c.capacity();
            }
        }
        return n;
    }
}
