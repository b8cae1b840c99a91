package org.roost.mail.sort;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Ranks rows by byte-string keys, in several columns at once, in bounded memory: what a first SORT of
 * a million messages needs without an object per message. Records (column, row, key) are gathered in
 * a run of a fixed size in memory; a full run is sorted and written to the {@link RunFile} by the thread
 * that filled it, outside the lock, while the others fill a second run; {@link #ranks} merges the runs.
 * What is held is at most two runs, and while merging one run and the merge's buffers (no more than a
 * run's bytes), however many rows there are. Keys compare as unsigned bytes, a key before the longer ones
 * it begins; equal keys share a rank, and ranks count from 0 in each column. {@link #add} may be called
 * from several threads.
 */
public final class KeyRanker implements Closeable {
    /** The bytes of records a run holds in memory unless told otherwise ({@code index.sortRunBytes}'s default). */
    public static final int RUN_BYTES = 4 << 20;
    /** The least run size: a record header and a few key bytes. */
    public static final int MIN_RUN_BYTES = 64;
    /** Runs a merge reads at once; more are merged in groups first. */
    static final int FAN_IN = 64;
    private static final int MIN_CHUNK = 4 << 10;
    private static final int MAX_CHUNK = 64 << 10;

    private final ReentrantLock lock = new ReentrantLock();
    /** Signalled when a run written outside the lock is back for filling. */
    private final Condition spareBack = lock.newCondition();
    private final RunFile runs;
    private KeyBatch filling;
    /** The run to fill next; null while the thread that filled it sorts and writes it. */
    private KeyBatch spare;
    private IOException failure;

    /** Runs go to {@code directory}; {@value #RUN_BYTES} bytes of records are held in a run. */
    public KeyRanker(Path directory) {
        this(directory, RUN_BYTES);
    }

    /** Runs go to {@code directory}; {@code runBytes} (at least {@value #MIN_RUN_BYTES}) of records are held in a run. */
    public KeyRanker(Path directory, int runBytes) {
        this(new RunFile(directory, FAN_IN, Math.clamp(runBytes / FAN_IN, MIN_CHUNK, MAX_CHUNK)), runBytes);
    }

    /** Runs go to {@code runs}; {@code runBytes} (at least {@value #MIN_RUN_BYTES}) of records are held in a run. */
    KeyRanker(RunFile runs, int runBytes) {
        if (runBytes < MIN_RUN_BYTES) {
            throw new IllegalArgumentException("a run of " + runBytes + " bytes");
        }
        this.runs = runs;
        this.filling = new KeyBatch(runBytes);
        this.spare = new KeyBatch(runBytes);
    }

    /** The key of {@code row} in {@code column} (0..255); one key per row and column. */
    public void add(int column, int row, byte[] key) throws IOException {
        add(row, column, new byte[][] {key});
    }

    /**
     * The keys of {@code row} in the columns 0..keys.length-1, {@code keys[column]} each, taken at once: one
     * lock for a message's keys, where a first SORT's lookup threads would otherwise take turns for each.
     */
    public void add(int row, byte[][] keys) throws IOException {
        add(row, 0, keys);
    }

    /**
     * Holds the keys; a full run is swapped for the spare under the lock and written after it. Any failure
     * fails the ranking ({@link #throwFailure}): a row's keys may be in part only.
     */
    private void add(int row, int firstColumn, byte[][] keys) throws IOException {
        KeyBatch full = null;
        RunFile.Run place = null;
        lock.lock();
        try {
            throwFailure();
            for (int k = 0; k < keys.length; k++) {
                var key = keys[k];
                if (!filling.canEverHold(key.length)) { // larger than a whole run: a run of its own (rare)
                    try (var out = runs.output(runs.reserve(KeyBatch.recordBytes(key.length)))) {
                        out.write(firstColumn + k, row, key, 0, key.length);
                    }
                    continue;
                }
                if (!filling.fits(key.length)) {
                    if (full != null) { // a second full run in one call (large keys): written here, under the lock
                        writeAndGiveBack(full, place);
                    }
                    awaitSpare();
                    full = filling;
                    filling = spare;
                    spare = null;
                    place = runs.reserve(full.bytes());
                }
                filling.put(firstColumn + k, row, key);
            }
        } catch (IOException | RuntimeException e) {
            if (full != null) {
                giveBack(full);
            }
            failed(e);
            throw e;
        } finally {
            lock.unlock();
        }
        if (full != null) {
            writeAndGiveBack(full, place);
        }
    }

    /** Sorts and writes a full run (while other threads fill the next), then gives it back for filling. */
    private void writeAndGiveBack(KeyBatch full, RunFile.Run place) throws IOException {
        try {
            full.sort();
            try (var out = runs.output(place)) {
                full.writeTo(out);
            }
        } catch (IOException | RuntimeException e) {
            failed(e);
            throw e;
        } finally {
            giveBack(full);
        }
    }

    private void giveBack(KeyBatch batch) {
        lock.lock();
        try {
            batch.clear();
            spare = batch;
            spareBack.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Records the ranking's first failure. */
    private void failed(Exception e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e instanceof IOException io ? io : new IOException(e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Waits (the lock held) until no run is being written outside the lock. */
    private void awaitSpare() throws IOException {
        while (spare == null) {
            try {
                spareBack.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while a sort run was written");
            }
            throwFailure();
        }
    }

    /** A failure to write a run fails every later call: the ranking lacks its records. */
    private void throwFailure() throws IOException {
        if (failure != null) {
            throw new IOException("a sort run could not be written", failure);
        }
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
    public Merge ranks() throws IOException {
        lock.lock();
        try {
            awaitSpare();
            throwFailure();
            spare = null; // not filled again: its bytes are not held through the merge
            filling.sort();
            var cursors = new ArrayList<>(runs.cursors(1));
            cursors.add(filling.cursor());
            return new Merge(cursors);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the run file. */
    @Override
    public void close() throws IOException {
        runs.close();
    }

    /** Told each distinct key of a column as it is ranked. */
    @FunctionalInterface
    public interface KeySink {
        /** The key is {@code key[0 .. length)}, valid only during the call. */
        void key(int rank, byte[] key, int length) throws IOException;
    }

    /** The runs merged, column by column. */
    public static final class Merge {
        private final PriorityQueue<KeyCursor> heads;
        private byte[] previous = new byte[64];

        private Merge(List<KeyCursor> cursors) throws IOException {
            heads = RunFile.heads(cursors);
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
