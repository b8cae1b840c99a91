package org.roost.mail.sort;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Ranks rows by byte-string keys, in several columns at once, in bounded memory: what a first SORT of
 * a million messages needs without an object per message. Records (column, row, key) are gathered in
 * one buffer of a fixed size; a full buffer is sorted and written to a run file, and {@link #ranks}
 * merges the runs. Keys compare as unsigned bytes, a key before the longer ones it begins; equal keys
 * share a rank, and ranks count from 0 in each column. A run file is unlinked as soon as it is made, so
 * none is left behind by a stopped server. {@link #add} may be called from several threads.
 */
public final class KeyRanker implements Closeable {
    /** Column (1 byte), row (4), key length (4). */
    private static final int HEADER = 9;
    /** Key bytes in a {@link #prefix}, beside the column's byte. */
    private static final int PREFIX_BYTES = 7;
    private static final int STREAM_BUFFER = 1 << 16;

    private final Path directory;
    private final byte[] buffer;
    private int used;
    private int[] offsets = new int[1024];
    private int count;
    private final List<FileChannel> runs = new ArrayList<>();

    /** What a ranker holds of its records unless told otherwise: a first SORT or THREAD's bound on the heap. */
    public static final int BUFFER_BYTES = 8 << 20;

    /** Runs go to {@code directory}; {@value #BUFFER_BYTES} bytes of records are held at most. */
    public KeyRanker(Path directory) {
        this(directory, BUFFER_BYTES);
    }

    /** Runs go to {@code directory}; {@code bufferBytes} is what is held of the records at most. */
    public KeyRanker(Path directory, int bufferBytes) {
        this.directory = directory;
        this.buffer = new byte[bufferBytes];
    }

    /** The key of {@code row} in {@code column} (0..255); one key per row and column. */
    public synchronized void add(int column, int row, byte[] key) throws IOException {
        put(column, row, key);
    }

    /**
     * The keys of {@code row} in the columns 0..keys.length-1, {@code keys[column]} each, taken at once: one
     * lock for a message's keys, where a first SORT's lookup threads would otherwise take turns for each.
     */
    public synchronized void add(int row, byte[][] keys) throws IOException {
        for (int column = 0; column < keys.length; column++) {
            put(column, row, keys[column]);
        }
    }

    private void put(int column, int row, byte[] key) throws IOException {
        int size = HEADER + key.length;
        if (used + size > buffer.length) {
            spill();
        }
        if (size > buffer.length) { // larger than the whole buffer: a run of its own
            try (var out = new RunWriter(newRun())) {
                out.write(column, row, key, 0, key.length);
            }
            return;
        }
        if (count == offsets.length) {
            offsets = Arrays.copyOf(offsets, count * 2);
        }
        offsets[count++] = used;
        buffer[used] = (byte) column;
        putInt(used + 1, row);
        putInt(used + 5, key.length);
        System.arraycopy(key, 0, buffer, used + HEADER, key.length);
        used += size;
    }

    /**
     * The key of a string that orders as {@link Casemap#compare} does: its code points in UTF-8's
     * scheme (a lone surrogate too, as its own code point), whose bytes order as the code points do.
     */
    public static byte[] key(String text) {
        var out = new byte[text.length() * 3];
        int length = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c < 0x80) {
                out[length++] = (byte) c;
            } else if (c < 0x800) {
                out[length++] = (byte) (0xc0 | c >>> 6);
                out[length++] = (byte) (0x80 | c & 0x3f);
            } else if (c < 0x10000) {
                out[length++] = (byte) (0xe0 | c >>> 12);
                out[length++] = (byte) (0x80 | c >>> 6 & 0x3f);
                out[length++] = (byte) (0x80 | c & 0x3f);
            } else { // two UTF-16 units: four bytes fit in the six kept for them
                out[length++] = (byte) (0xf0 | c >>> 18);
                out[length++] = (byte) (0x80 | c >>> 12 & 0x3f);
                out[length++] = (byte) (0x80 | c >>> 6 & 0x3f);
                out[length++] = (byte) (0x80 | c & 0x3f);
            }
        }
        return Arrays.copyOf(out, length);
    }

    /** The key of a number, ordering as the numbers do (signed). */
    public static byte[] key(long value) {
        long unsigned = value ^ Long.MIN_VALUE;
        var out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (unsigned >>> 56 - 8 * i);
        }
        return out;
    }

    /** A merge of everything added: ask it for the columns in ascending order, once each. */
    public synchronized Merge ranks() throws IOException {
        var cursors = new ArrayList<Cursor>();
        for (var run : runs) {
            run.position(0);
            cursors.add(new FileCursor(run));
        }
        sortBuffer();
        cursors.add(new BufferCursor(Arrays.copyOf(offsets, count)));
        return new Merge(cursors);
    }

    @Override
    public synchronized void close() throws IOException {
        IOException failure = null;
        for (var run : runs) {
            try {
                run.close();
            } catch (IOException e) {
                failure = e;
            }
        }
        runs.clear();
        if (failure != null) {
            throw failure;
        }
    }

    private void spill() throws IOException {
        if (count == 0) {
            return;
        }
        sortBuffer();
        try (var out = new RunWriter(newRun())) {
            for (int k = 0; k < count; k++) {
                int at = offsets[k];
                out.write(buffer[at] & 0xff, getInt(at + 1), buffer, at + HEADER, getInt(at + 5));
            }
        }
        count = 0;
        used = 0;
    }

    /**
     * Sorts the buffered records by column and key: by their {@link #prefix}es first, numbers held side by
     * side, and by the bytes in the buffer only where those are equal (most comparisons of a first SORT's
     * hundreds of thousands of keys end at the prefix).
     */
    private void sortBuffer() {
        var prefixes = new long[count];
        for (int k = 0; k < count; k++) {
            int at = offsets[k];
            prefixes[k] = prefix(buffer[at] & 0xff, buffer, at + HEADER, getInt(at + 5));
        }
        var order = IntSort.identity(count);
        IntSort.sort(order, (a, b) -> {
            int byPrefix = Long.compareUnsigned(prefixes[a], prefixes[b]);
            return byPrefix != 0 ? byPrefix : compareKeys(offsets[a], offsets[b]);
        });
        for (int k = 0; k < count; k++) {
            order[k] = offsets[order[k]];
        }
        System.arraycopy(order, 0, offsets, 0, count);
    }

    /** The buffered records' keys compared (their columns are the same). */
    private int compareKeys(int a, int b) {
        return Arrays.compareUnsigned(buffer, a + HEADER, a + HEADER + getInt(a + 5),
                buffer, b + HEADER, b + HEADER + getInt(b + 5));
    }

    /**
     * A record's column and the first {@value #PREFIX_BYTES} bytes of its key (zeros past its end) as one
     * number: two records whose prefixes differ, compared as unsigned numbers, order as their columns and
     * keys do; equal prefixes leave the order to the rest of the keys (a key and the same with a zero byte
     * more share one).
     */
    private static long prefix(int column, byte[] key, int from, int length) {
        long prefix = (long) column << 8 * PREFIX_BYTES;
        for (int i = 0; i < PREFIX_BYTES; i++) {
            prefix |= (long) (i < length ? key[from + i] & 0xff : 0) << 8 * (PREFIX_BYTES - 1 - i);
        }
        return prefix;
    }

    /** A new run file, already unlinked (it lives as long as its channel). */
    private FileChannel newRun() throws IOException {
        var file = Files.createTempFile(directory, "roost-sort-", ".run");
        var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE,
                StandardOpenOption.DELETE_ON_CLOSE);
        Files.deleteIfExists(file);
        runs.add(channel);
        return channel;
    }

    private void putInt(int at, int value) {
        buffer[at] = (byte) (value >>> 24);
        buffer[at + 1] = (byte) (value >>> 16);
        buffer[at + 2] = (byte) (value >>> 8);
        buffer[at + 3] = (byte) value;
    }

    private int getInt(int at) {
        return (buffer[at] & 0xff) << 24 | (buffer[at + 1] & 0xff) << 16 | (buffer[at + 2] & 0xff) << 8
                | buffer[at + 3] & 0xff;
    }

    /** Writes sorted records to a run (the channel stays open). */
    private static final class RunWriter implements Closeable {
        private final DataOutputStream out;

        RunWriter(FileChannel channel) {
            out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), STREAM_BUFFER));
        }

        void write(int column, int row, byte[] key, int from, int length) throws IOException {
            out.writeByte(column);
            out.writeInt(row);
            out.writeInt(length);
            out.write(key, from, length);
        }

        @Override
        public void close() throws IOException {
            out.flush(); // not closed: that would close the run's channel
        }
    }

    /** The record a sorted source stands at. */
    private abstract static class Cursor {
        int column;
        int row;
        byte[] key = new byte[64];
        int length;
        /** The record's {@link KeyRanker#prefix}, what comparisons look at first. */
        long prefix;

        /** Moves to the next record; false at the end. */
        final boolean next() throws IOException {
            if (!read()) {
                return false;
            }
            prefix = prefix(column, key, 0, length);
            return true;
        }

        /** Reads the next record into the fields; false at the end. */
        abstract boolean read() throws IOException;

        final int compareTo(Cursor other) {
            int byPrefix = Long.compareUnsigned(prefix, other.prefix);
            return byPrefix != 0 ? byPrefix : Arrays.compareUnsigned(key, 0, length, other.key, 0, other.length);
        }

        final void take(int length) {
            this.length = length;
            if (key.length < length) {
                key = new byte[Math.max(length, key.length * 2)];
            }
        }
    }

    private static final class FileCursor extends Cursor {
        private final DataInputStream in;

        FileCursor(FileChannel run) {
            in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(run), STREAM_BUFFER));
        }

        @Override
        boolean read() throws IOException {
            int first = in.read();
            if (first < 0) {
                return false;
            }
            column = first;
            row = in.readInt();
            int size = in.readInt();
            if (size < 0) {
                throw new EOFException("a damaged run file");
            }
            take(size);
            in.readFully(key, 0, size);
            return true;
        }
    }

    private final class BufferCursor extends Cursor {
        private final int[] sorted;
        private int next;

        BufferCursor(int[] sorted) {
            this.sorted = sorted;
        }

        @Override
        boolean read() {
            if (next == sorted.length) {
                return false;
            }
            int at = sorted[next++];
            column = buffer[at] & 0xff;
            row = getInt(at + 1);
            take(getInt(at + 5));
            System.arraycopy(buffer, at + HEADER, key, 0, length);
            return true;
        }
    }

    /** Told each distinct key of a column as it is ranked. */
    @FunctionalInterface
    public interface KeySink {
        /** The key is {@code key[0 .. length)}, valid only during the call. */
        void key(int rank, byte[] key, int length) throws IOException;
    }

    /** The runs merged, column by column. */
    public static final class Merge {
        private final PriorityQueue<Cursor> heads = new PriorityQueue<>(Cursor::compareTo);
        private byte[] previous = new byte[64];

        private Merge(List<Cursor> cursors) throws IOException {
            for (var cursor : cursors) {
                if (cursor.next()) {
                    heads.add(cursor);
                }
            }
        }

        /**
         * The ranks of {@code column} into {@code ranks} (indexed by row; rows without a key are left as
         * they are); returns one more than the highest rank given, 0 for none.
         */
        public int column(int column, int[] ranks) throws IOException {
            return column(column, ranks, (rank, key, length) -> { });
        }

        /** {@link #column(int, int[])}, each distinct key also told to {@code keys} with its rank, ascending. */
        public int column(int column, int[] ranks, KeySink keys) throws IOException {
            int rank = -1;
            int previousLength = -1;
            while (!heads.isEmpty() && heads.peek().column <= column) {
                var head = heads.poll();
                if (head.column == column) {
                    if (previousLength != head.length
                            || !Arrays.equals(previous, 0, previousLength, head.key, 0, head.length)) {
                        rank++;
                        previous = head.length > previous.length ? head.key.clone() : previous;
                        System.arraycopy(head.key, 0, previous, 0, head.length);
                        previousLength = head.length;
                        keys.key(rank, previous, previousLength);
                    }
                    ranks[head.row] = rank;
                }
                if (head.next()) {
                    heads.add(head);
                }
            }
            return rank + 1;
        }
    }
}
