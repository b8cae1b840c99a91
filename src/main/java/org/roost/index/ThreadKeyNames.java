package org.roost.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.ThreadKeys;
import org.roost.mail.sort.ThreadKeys.Column;

/**
 * What the subject and ID numbers of a mailbox's kept {@link ThreadKeys} stand for, so that a new
 * message's subject and IDs get the numbers equal ones already have without any other message being
 * read: every base subject and Message-ID the keys were made from, as its {@link KeyRanker#key} with its
 * number, sorted by key in {@value #NAME} beside the index. Of the file only every {@value #BLOCK}th key
 * and where it lies is held (loaded at the first lookup, the whole file checked then); a lookup reads
 * one block. Names given since the file was written are held until it is {@link #rewritten} with them
 * (one merging pass). Each file has a random token, which the kept keys record, so keys are never read
 * with the names of other keys. Numbers are only compared for equality: new names take the next free ones.
 * Not safe for concurrent use: {@link KeptThreadKeys} holds its lock around every use.
 */
final class ThreadKeyNames {
    static final String NAME = "roost.index.thread.names";
    /** "RTN1". */
    private static final int MAGIC = 0x52544e31;
    private static final int BLOCK = 64;
    /** The column byte that ends the entries. */
    private static final int END = 0xff;
    private static final int STREAM_BUFFER = 1 << 16;

    /** The names file is missing, damaged, or of other keys: the keys must be made again. */
    static final class Untrusted extends IOException {
        Untrusted(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Every {@value #BLOCK}th key of a column and where its block starts; {@code end} is where the column's entries end. */
    private record Sparse(List<byte[]> keys, List<Long> offsets, long end) {}

    private final Path file;
    private final long token;
    private final EnumMap<Column, Integer> counts = new EnumMap<>(Column.class);
    private final EnumMap<Column, Map<String, Integer>> added = new EnumMap<>(Column.class);
    private EnumMap<Column, Sparse> sparse;

    /** The names in {@code file} if it has {@code token}, for keys with these counts of subject and ID numbers. */
    ThreadKeyNames(Path file, long token, int subjectCount, int idCount) {
        this.file = file;
        this.token = token;
        counts.put(Column.SUBJECT, subjectCount);
        counts.put(Column.ID, idCount);
        for (var column : Column.values()) {
            added.put(column, new HashMap<>());
        }
    }

    long token() {
        return token;
    }

    /** How many names were given since the file was written. */
    int addedCount() {
        return added.values().stream().mapToInt(Map::size).sum();
    }

    int count(Column column) {
        return counts.get(column);
    }

    /**
     * Opens the file for lookups (checking it whole the first time); an {@link IOException} when it is
     * missing, damaged, or of other keys.
     */
    Lookup lookup() throws Untrusted {
        loaded();
        try {
            return new Lookup(FileChannel.open(file));
        } catch (IOException e) {
            throw new Untrusted(file + " cannot be read", e);
        }
    }

    private void loaded() throws Untrusted {
        if (sparse == null) {
            try {
                sparse = load();
            } catch (IOException | RuntimeException e) {
                throw new Untrusted(file + " is not to trust: " + e.getMessage(), e);
            }
        }
    }

    /** Looks names up; {@link #number} gives a name not met yet the next free number. */
    final class Lookup implements Closeable {
        private final FileChannel channel;

        private Lookup(FileChannel channel) {
            this.channel = channel;
        }

        /** The number of {@code text} in {@code column}: the one it has, or a new one. */
        int number(Column column, String text) throws Untrusted {
            var held = added.get(column).get(text);
            if (held != null) {
                return held;
            }
            var key = KeyRanker.key(text);
            int found;
            try {
                found = inFile(column, key);
            } catch (IOException | RuntimeException e) { // changed since it was checked
                throw new Untrusted(file + " cannot be read: " + e.getMessage(), e);
            }
            if (found != ThreadKeys.NONE) {
                return found;
            }
            int number = counts.get(column);
            counts.put(column, number + 1);
            added.get(column).put(text, number);
            return number;
        }

        private int inFile(Column column, byte[] key) throws IOException {
            var index = sparse.get(column);
            int lo = 0;
            int hi = index.keys().size() - 1;
            int block = -1; // the last block whose first key is not above key
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (Arrays.compareUnsigned(index.keys().get(mid), key) <= 0) {
                    block = mid;
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (block < 0) {
                return ThreadKeys.NONE;
            }
            long from = index.offsets().get(block);
            long to = block + 1 < index.offsets().size() ? index.offsets().get(block + 1) : index.end();
            var bytes = ByteBuffer.allocate(Math.toIntExact(to - from));
            while (bytes.hasRemaining()) {
                if (channel.read(bytes, from + bytes.position()) < 0) {
                    throw new EOFException(file + " was cut short");
                }
            }
            bytes.flip();
            while (bytes.hasRemaining()) {
                bytes.get(); // the column, checked when loaded
                int number = bytes.getInt();
                var entry = new byte[bytes.getInt()];
                bytes.get(entry);
                if (Arrays.equals(entry, key)) {
                    return number;
                }
            }
            return ThreadKeys.NONE;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /**
     * A new file of these names and the ones given since, numbered by {@code subjects} and {@code ids}
     * (old number to new, {@link ThreadKeys#NONE} for a name no longer used), in the same directory.
     */
    ThreadKeyNames rewritten(IntUnaryOperator subjects, int subjectCount, IntUnaryOperator ids, int idCount)
            throws IOException {
        loaded();
        try (var out = new Writer(file.getParent())) {
            merge(out, subjects, ids); // (the writer keeps a failure to write for finish)
            return out.finish(subjectCount, idCount);
        }
    }

    /** The file's names and the ones given since, in key order, to {@code out}; renumbered. */
    private void merge(Writer out, IntUnaryOperator subjects, IntUnaryOperator ids) throws Untrusted {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER))) {
            in.skipNBytes(12);
            int column = in.read();
            for (var c : Column.values()) {
                var numbers = c == Column.SUBJECT ? subjects : ids;
                var newer = sortedAdded(c);
                int next = 0;
                while (column == c.ordinal()) {
                    int number = in.readInt();
                    var key = new byte[in.readInt()];
                    in.readFully(key);
                    for (; next < newer.size() && Arrays.compareUnsigned(newer.get(next).key(), key) < 0; next++) {
                        out.name(c, numbers.applyAsInt(newer.get(next).number()), newer.get(next).key());
                    }
                    out.name(c, numbers.applyAsInt(number), key);
                    column = in.read();
                }
                for (; next < newer.size(); next++) {
                    out.name(c, numbers.applyAsInt(newer.get(next).number()), newer.get(next).key());
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new Untrusted(file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private record Named(byte[] key, int number) {}

    private List<Named> sortedAdded(Column column) {
        var names = new ArrayList<Named>();
        added.get(column).forEach((text, number) -> names.add(new Named(KeyRanker.key(text), number)));
        names.sort((a, b) -> Arrays.compareUnsigned(a.key(), b.key()));
        return names;
    }

    /** Reads the whole file: format, token, every entry in bounds and in order, the checksum; the sparse index. */
    private EnumMap<Column, Sparse> load() throws IOException {
        var loaded = new EnumMap<Column, Sparse>(Column.class);
        try (var checked = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), STREAM_BUFFER),
                new CRC32C()); var in = new DataInputStream(checked)) {
            if (in.readInt() != MAGIC || in.readLong() != token) {
                throw new IOException(file + " holds the names of other keys");
            }
            long size = Files.size(file);
            long at = 12;
            int column = in.read();
            for (var c : Column.values()) {
                var keys = new ArrayList<byte[]>();
                var offsets = new ArrayList<Long>();
                byte[] previous = null;
                for (int entry = 0; column == c.ordinal(); entry++) {
                    int number = in.readInt();
                    int length = in.readInt();
                    if (number < 0 || number >= counts.get(c) || length < 0 || length > size - at) {
                        throw new IOException(file + ": an entry out of bounds");
                    }
                    var key = new byte[length];
                    in.readFully(key);
                    if (previous != null && Arrays.compareUnsigned(previous, key) >= 0) {
                        throw new IOException(file + ": names out of order");
                    }
                    if (entry % BLOCK == 0) {
                        keys.add(key);
                        offsets.add(at);
                    }
                    previous = key;
                    at += 9 + length;
                    column = in.read();
                }
                loaded.put(c, new Sparse(keys, offsets, at));
            }
            long computed = checked.getChecksum().getValue();
            if (column != END || in.readLong() != computed) {
                throw new IOException(file + ": damaged");
            }
        }
        return loaded;
    }

    /**
     * Writes a new names file, entries column by column in ascending key order (as a making of the keys
     * tells them), under a temporary name until {@link #finish} renames it over the old one. A failure
     * to write is kept and thrown by {@link #finish}, so that the keys being made are not lost with it.
     */
    static final class Writer implements ThreadKeys.Names, Closeable {
        private final Path directory;
        private final Path temp;
        private final long token = ThreadLocalRandom.current().nextLong();
        private final CheckedOutputStream checked;
        private final DataOutputStream out;
        private boolean finished;
        private IOException failure;

        Writer(Path directory) throws IOException {
            this.directory = directory;
            this.temp = Files.createTempFile(directory, NAME, ".tmp");
            checked = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), STREAM_BUFFER),
                    new CRC32C());
            out = new DataOutputStream(checked);
            out.writeInt(MAGIC);
            out.writeLong(token);
        }

        @Override
        public void name(Column column, int number, byte[] key, int length) {
            if (number == ThreadKeys.NONE || failure != null) {
                return; // no longer used; or nothing more can be written
            }
            try {
                out.writeByte(column.ordinal());
                out.writeInt(number);
                out.writeInt(length);
                out.write(key, 0, length);
            } catch (IOException e) {
                failure = e;
            }
        }

        void name(Column column, int number, byte[] key) {
            name(column, number, key, key.length);
        }

        /** The names written, in place of the old file, for keys with these counts of numbers. */
        ThreadKeyNames finish(int subjectCount, int idCount) throws IOException {
            if (failure != null) {
                throw failure;
            }
            out.writeByte(END);
            out.writeLong(checked.getChecksum().getValue());
            out.close();
            var file = directory.resolve(NAME);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            finished = true;
            return new ThreadKeyNames(file, token, subjectCount, idCount);
        }

        @Override
        public void close() throws IOException {
            if (!finished) {
                out.close();
                Files.deleteIfExists(temp);
            }
        }
    }
}
