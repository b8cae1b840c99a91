package org.roost.storage.maildir;

import java.time.Instant;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * One listing of {@code cur/}: each message file's current name, found by key (the base name), and,
 * when the files were stat'ed, their modification times and sizes. Held in columns with an
 * open-addressing index instead of a map of objects, because a folder may hold a million messages:
 * about 120 heap bytes per file, most of them the name. {@link MessageFile}s are made on demand. The
 * flags the names' info letters state are read once, while each name is at hand: a scan that later
 * visits the files in UID order then need not touch a million names scattered over the heap again.
 * Immutable once built.
 */
final class Listing implements Iterable<MessageFile> {

    private static final Listing EMPTY = new Builder(0, false).build();

    private final String[] fileNames;
    /** Per file: the bits of its system flags ({@link SystemFlag#setOf}), and {@link #KEYWORD_LETTERS} if it names keywords. */
    private final byte[] letters;
    /** Null, as {@link #sizes}, when the files were not stat'ed. */
    private final long[] modifiedNanos;
    private final long[] sizes;
    private final int count;
    /** Open addressing by key: the key's hash in the high half, row + 1 in the low half; 0 is a free slot. */
    private final long[] slots;

    private static final int KEYWORD_LETTERS = 1 << 6;

    private Listing(String[] fileNames, byte[] letters, long[] modifiedNanos, long[] sizes, int count, long[] slots) {
        this.fileNames = fileNames;
        this.letters = letters;
        this.modifiedNanos = modifiedNanos;
        this.sizes = sizes;
        this.count = count;
        this.slots = slots;
    }

    static Listing empty() {
        return EMPTY;
    }

    int size() {
        return count;
    }

    boolean contains(String key) {
        return row(key) >= 0;
    }

    /** The file of {@code key}, or null when the listing has none. */
    MessageFile get(String key) {
        int row = row(key);
        return row < 0 ? null : file(row);
    }

    /** The name of the file in {@code row}. */
    String fileName(int row) {
        return fileNames[row];
    }

    /** The system flags that the name of the file in {@code row} states. */
    Set<SystemFlag> flags(int row) {
        return SystemFlag.setOf(letters[row] & ~KEYWORD_LETTERS);
    }

    /** The keyword indexes (0 for 'a') that the name of the file in {@code row} states. */
    Set<Integer> keywordIndexes(int row) {
        if ((letters[row] & KEYWORD_LETTERS) == 0) {
            return Set.of();
        }
        var name = fileNames[row];
        return MaildirFileName.keywordIndexes(name, MaildirFileName.infoStart(name));
    }

    /** The key (base name) of the file in {@code row}. */
    String key(int row) {
        var name = fileNames[row];
        int length = keyLength(name);
        return length == name.length() ? name : name.substring(0, length);
    }

    /** The current file name of {@code key}, or null when the listing has none. */
    String fileName(String key) {
        int row = row(key);
        return row < 0 ? null : fileNames[row];
    }

    /** The file in {@code row} (0 to size - 1); its mtime and size unknown when the files were not stat'ed. */
    MessageFile file(int row) {
        var name = fileNames[row];
        return new MessageFile(name, MaildirFileName.parse(name), modified(row), size(row));
    }

    /** The mtime of the file in {@code row}, {@link StoredMessage#UNKNOWN_DATE} when the files were not stat'ed. */
    Instant modified(int row) {
        return sizes == null ? StoredMessage.UNKNOWN_DATE : Instant.ofEpochSecond(0, modifiedNanos[row]);
    }

    /** The size of the file in {@code row}, {@link StoredMessage#UNKNOWN_SIZE} when the files were not stat'ed. */
    long size(int row) {
        return sizes == null ? StoredMessage.UNKNOWN_SIZE : sizes[row];
    }

    @Override
    public Iterator<MessageFile> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < count;
            }

            @Override
            public MessageFile next() {
                if (next >= count) {
                    throw new NoSuchElementException();
                }
                return file(next++);
            }
        };
    }

    /** The row of {@code key}, or -1 when the listing has none. */
    int row(String key) {
        if (slots.length == 0) {
            return -1;
        }
        int hash = key.hashCode();
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return -1;
            }
            if ((int) (taken >>> 32) == hash && hasKey(fileNames[(int) taken - 1], key)) {
                return (int) taken - 1;
            }
        }
    }

    private static boolean hasKey(String fileName, String key) {
        return fileName.startsWith(key) && (fileName.length() == key.length() || fileName.charAt(key.length()) == ':');
    }

    /** The length of the key part of a file name: up to the first ':'. */
    static int keyLength(String fileName) {
        int colon = fileName.indexOf(':');
        return colon < 0 ? fileName.length() : colon;
    }

    /** {@code String.hashCode} of the key part, without making the key. */
    private static int keyHash(String fileName) {
        int h = 0;
        for (int i = 0, n = keyLength(fileName); i < n; i++) {
            h = 31 * h + fileName.charAt(i);
        }
        return h;
    }

    private static int spread(int h) {
        return UidList.spread(h);
    }

    /**
     * Collects up to {@code capacity} files, with their mtimes and sizes when {@code stated}; a second
     * file with a key already present is refused.
     */
    static final class Builder {
        private final String[] fileNames;
        private final byte[] letters;
        private final long[] modifiedNanos;
        private final long[] sizes;
        private final long[] slots;
        private int count;

        Builder(int capacity, boolean stated) {
            fileNames = new String[capacity];
            letters = new byte[capacity];
            modifiedNanos = stated ? new long[capacity] : null;
            sizes = stated ? new long[capacity] : null;
            slots = new long[capacity == 0 ? 0 : Integer.highestOneBit(Math.max(2, capacity * 2 - 1)) << 1];
        }

        /** Adds a file of a listing without stats; false (and nothing added) when its key is there already. */
        boolean add(String fileName) {
            return add(fileName, 0, 0);
        }

        /** Adds a file; false (and nothing added) when a file with the same key is there already. */
        boolean add(String fileName, long modified, long size) {
            int mask = slots.length - 1;
            int keyLength = keyLength(fileName);
            int hash = keyHash(fileName);
            int slot = spread(hash) & mask;
            for (; slots[slot] != 0; slot = (slot + 1) & mask) {
                if ((int) (slots[slot] >>> 32) != hash) {
                    continue;
                }
                var other = fileNames[(int) slots[slot] - 1];
                if (keyLength(other) == keyLength && other.regionMatches(0, fileName, 0, keyLength)) {
                    return false;
                }
            }
            fileNames[count] = fileName;
            letters[count] = letters(fileName);
            if (sizes != null) {
                modifiedNanos[count] = modified;
                sizes[count] = size;
            }
            slots[slot] = ((long) hash << 32) | ++count;
            return true;
        }

        Listing build() {
            return new Listing(fileNames, letters, modifiedNanos, sizes, count, slots);
        }

        private static byte letters(String fileName) {
            int info = MaildirFileName.infoStart(fileName);
            boolean keywords = !MaildirFileName.keywordIndexes(fileName, info).isEmpty();
            return (byte) (MaildirFileName.flagBits(fileName, info) | (keywords ? KEYWORD_LETTERS : 0));
        }
    }
}
