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
 * open-addressing index instead of a map of objects, and the names as UTF-8 bytes in a few large
 * blocks ({@link KeyBytes}), because a folder may hold a million messages: a first open visits them
 * in delivery order, which for names scattered over the heap as strings would be a few cache misses
 * each, and the collector would copy a million strings into the old generation. {@link MessageFile}s
 * and names as strings are made on demand. The flags the names' info letters state are read once,
 * while each name is at hand. Immutable once built.
 */
final class Listing implements Iterable<MessageFile> {

    private static final Listing EMPTY = new Builder(0, false).build();

    private final KeyBytes names;
    private final long[] nameRefs;
    /** Per file: the length in bytes of its key (the name up to its first ':'). */
    private final short[] keyLengths;
    /**
     * Per file: the bits of its system flags ({@link SystemFlag#setOf}), {@link #KEYWORD_LETTERS} if it
     * names keywords, {@link #NOT_IMPLIED} if its flags do not imply its name.
     */
    private final byte[] letters;
    /** Null, as {@link #sizes}, when the files were not stat'ed. */
    private final long[] modifiedNanos;
    private final long[] sizes;
    private final int count;
    /** Open addressing by key: the key's hash in the high half, row + 1 in the low half; 0 is a free slot. */
    private final long[] slots;

    private static final int KEYWORD_LETTERS = 1 << 6;
    private static final int NOT_IMPLIED = 1 << 7;
    private static final int FLAG_BITS = (1 << SystemFlag.values().length) - 1;

    private Listing(Builder built) {
        this.names = built.names;
        this.nameRefs = built.nameRefs;
        this.keyLengths = built.keyLengths;
        this.letters = built.letters;
        this.modifiedNanos = built.modifiedNanos;
        this.sizes = built.sizes;
        this.count = built.count;
        this.slots = built.slots;
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
        return names.string(nameRefs[row]);
    }

    /** The system flags that the name of the file in {@code row} states. */
    Set<SystemFlag> flags(int row) {
        return SystemFlag.setOf(letters[row] & FLAG_BITS);
    }

    /** Whether the name in {@code row} is the one its message's flags imply ({@link MaildirFileName#impliedByFlags}). */
    boolean impliedByFlags(int row) {
        return (letters[row] & NOT_IMPLIED) == 0;
    }

    /** The keyword indexes (0 for 'a') that the name of the file in {@code row} states. */
    Set<Integer> keywordIndexes(int row) {
        if ((letters[row] & KEYWORD_LETTERS) == 0) {
            return Set.of();
        }
        var name = fileName(row);
        return MaildirFileName.keywordIndexes(name, MaildirFileName.infoStart(name));
    }

    /** The key (base name) of the file in {@code row}. */
    String key(int row) {
        return names.string(nameRefs[row], Short.toUnsignedInt(keyLengths[row]));
    }

    /** Stores the key of the file in {@code row} in {@code target}; returns its reference there. */
    long copyKey(int row, KeyBytes target) {
        return target.add(names, nameRefs[row], Short.toUnsignedInt(keyLengths[row]));
    }

    /** The current file name of {@code key}, or null when the listing has none. */
    String fileName(String key) {
        int row = row(key);
        return row < 0 ? null : fileName(row);
    }

    /** The file in {@code row} (0 to size - 1); its mtime and size unknown when the files were not stat'ed. */
    MessageFile file(int row) {
        var name = fileName(row);
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

    /**
     * The number the name in {@code row} starts with (its second of delivery, in Maildir names), read in
     * place as {@link DeliveryOrder} reads keys: at most {@code maxDigits} digits; -1 when there are none.
     */
    long leadingNumber(int row, int maxDigits) {
        long ref = nameRefs[row];
        int length = Short.toUnsignedInt(keyLengths[row]);
        long value = 0;
        int digits = 0;
        for (byte b; digits < length && digits < maxDigits && (b = names.byteAt(ref, digits)) >= '0' && b <= '9'; digits++) {
            value = value * 10 + (b - '0');
        }
        return digits == 0 ? -1 : value;
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
        int hash = KeyBytes.hash(key, key.length());
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return -1;
            }
            int row = (int) taken - 1;
            if ((int) (taken >>> 32) == hash
                    && names.matches(nameRefs[row], Short.toUnsignedInt(keyLengths[row]), key, key.length())) {
                return row;
            }
        }
    }

    /** The row of the key {@code key} stored in {@code keys}, or -1: compared as bytes, no string made. */
    int row(KeyBytes keys, long key) {
        if (slots.length == 0) {
            return -1;
        }
        int length = keys.length(key);
        int hash = keys.hash(key, length);
        int mask = slots.length - 1;
        for (int slot = spread(hash) & mask; ; slot = (slot + 1) & mask) {
            long taken = slots[slot];
            if (taken == 0) {
                return -1;
            }
            int row = (int) taken - 1;
            if ((int) (taken >>> 32) == hash && Short.toUnsignedInt(keyLengths[row]) == length
                    && names.equal(nameRefs[row], keys, key, length)) {
                return row;
            }
        }
    }

    /** The length of the key part of a file name: up to the first ':'. */
    static int keyLength(String fileName) {
        int colon = fileName.indexOf(':');
        return colon < 0 ? fileName.length() : colon;
    }

    private static int spread(int h) {
        return UidList.spread(h);
    }

    /**
     * Collects up to {@code capacity} files, with their mtimes and sizes when {@code stated}; a second
     * file with a key already present is refused.
     */
    static final class Builder {
        private final KeyBytes names;
        private final long[] nameRefs;
        private final short[] keyLengths;
        private final byte[] letters;
        private final long[] modifiedNanos;
        private final long[] sizes;
        private final long[] slots;
        private int count;

        Builder(int capacity, boolean stated) {
            this(capacity, stated, new KeyBytes());
        }

        /** A builder of up to {@code capacity} files whose names are (or will be) stored in {@code names}. */
        Builder(int capacity, boolean stated, KeyBytes names) {
            this.names = names;
            nameRefs = new long[capacity];
            keyLengths = new short[capacity];
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
            return add(names.add(fileName, fileName.length()), modified, size);
        }

        /** Adds a file of a listing without stats whose name is stored in this builder's names. */
        boolean add(long name) {
            return add(name, 0, 0);
        }

        private boolean add(long name, long modified, long size) {
            int keyLength = names.indexOf(name, (byte) ':');
            int hash = names.hash(name, keyLength);
            int mask = slots.length - 1;
            int slot = spread(hash) & mask;
            for (; slots[slot] != 0; slot = (slot + 1) & mask) {
                int other = (int) slots[slot] - 1;
                if ((int) (slots[slot] >>> 32) == hash && Short.toUnsignedInt(keyLengths[other]) == keyLength
                        && names.equal(nameRefs[other], name, keyLength)) {
                    return false; // (its bytes stay behind in the names: duplicates are rare)
                }
            }
            nameRefs[count] = name;
            keyLengths[count] = (short) keyLength;
            letters[count] = letters(name, keyLength);
            if (sizes != null) {
                modifiedNanos[count] = modified;
                sizes[count] = size;
            }
            slots[slot] = ((long) hash << 32) | ++count;
            return true;
        }

        Listing build() {
            return new Listing(this);
        }

        /**
         * The flag bits of the info letters after a {@code :2,} at the key's end, whether any is a
         * keyword's, and whether the name is not one its flags imply (as {@link MaildirFileName#impliedByFlags}).
         */
        private byte letters(long name, int keyLength) {
            int length = names.length(name);
            if (keyLength == length) {
                return 0;
            }
            var separator = MaildirFileName.INFO_SEPARATOR;
            for (int i = 0; i < separator.length(); i++) {
                if (keyLength + i >= length || names.byteAt(name, keyLength + i) != separator.charAt(i)) {
                    return (byte) NOT_IMPLIED;
                }
            }
            int bits = 0;
            byte previous = 0;
            for (int i = keyLength + separator.length(); i < length; i++) {
                byte letter = names.byteAt(name, i);
                var flag = MaildirFileName.flagOf((char) letter);
                boolean keyword = letter >= 'a' && letter <= 'z';
                bits |= keyword ? KEYWORD_LETTERS : flag == null ? NOT_IMPLIED : 1 << flag.ordinal();
                bits |= letter <= previous ? NOT_IMPLIED : 0;
                previous = letter;
            }
            return (byte) bits;
        }
    }
}
