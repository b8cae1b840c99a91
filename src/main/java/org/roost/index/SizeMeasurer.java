package org.roost.index;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.storage.MailboxStore;
import org.roost.storage.MessageNotFoundException;
import org.roost.storage.StoredMessage;

/**
 * Measures the virtual sizes a mailbox's storage could not state (Maildir files named by another
 * program carry no {@code W=}): reads each such message as clients get it and counts its bytes.
 * SELECT never waits for this; the first command that needs the sizes does, for the messages it
 * names, in batches: each batch is read by a few threads side by side (a disk answers many small
 * reads at once faster than one after the other), then handed to a recorder that keeps the sizes, so
 * the work is done once and what was measured stays measured if the command stops halfway.
 *
 * <p>One batch at a time per mailbox: a second session needing the same sizes waits for the batch
 * being read, then finds it measured, instead of reading the same files again. No other lock is
 * held while files are read.
 */
final class SizeMeasurer {
    /** Messages per batch: one index log transaction each. */
    static final int BATCH = 2048;
    /** Files read at once. */
    private static final int READERS = 16;

    /** Keeps the sizes of one measured batch. */
    interface Recorder {
        /** {@code sizes[k]} is the virtual size of row {@code rows[k]}, {@link StoredMessage#UNKNOWN_SIZE} if its file is gone. */
        void measured(MessageTable table, int[] rows, long[] sizes) throws IOException;
    }

    private final MailboxStore store;
    private final ReentrantLock batchLock = new ReentrantLock();

    SizeMeasurer(MailboxStore store) {
        this.store = store;
    }

    /** Measures the rows of {@code table} whose virtual size is unknown, batch by batch. */
    void measure(MessageTable table, int[] rows, Recorder recorder) throws IOException {
        for (int from = 0; from < rows.length; from += BATCH) {
            // Where a session's cancellation check goes: between batches here, and per message in read().
            lockBatch();
            try {
                var batch = unknown(table, rows, from, Math.min(rows.length, from + BATCH));
                if (batch.length > 0) {
                    recorder.measured(table, batch, read(table, batch));
                }
            } finally {
                batchLock.unlock();
            }
        }
    }

    /** Waits for another session's batch, unless this session is interrupted (kicked, shutting down). */
    private void lockBatch() throws InterruptedIOException {
        try {
            batchLock.lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to measure message sizes");
        }
    }

    /** The rows of {@code rows[from, to)} still unknown: another session may have measured some meanwhile. */
    private static int[] unknown(MessageTable table, int[] rows, int from, int to) {
        return Arrays.stream(rows, from, to).filter(row -> table.virtualSize(row) == StoredMessage.UNKNOWN_SIZE)
                .toArray();
    }

    /** Reads the messages of {@code rows}, {@link #READERS} at a time; stops at the first failure or interrupt. */
    private long[] read(MessageTable table, int[] rows) throws IOException {
        var sizes = new long[rows.length];
        try (var readers = Executors.newVirtualThreadPerTaskExecutor()) {
            var slices = new ArrayList<Future<?>>(READERS);
            for (int reader = 0; reader < READERS; reader++) {
                int first = reader;
                slices.add(readers.submit(() -> {
                    for (int k = first; k < rows.length && !Thread.currentThread().isInterrupted(); k += READERS) {
                        sizes[k] = virtualSize(table.message(rows[k]));
                    }
                    return null;
                }));
            }
            for (var slice : slices) {
                awaitSlice(slice, slices);
            }
        }
        return sizes;
    }

    private static void awaitSlice(Future<?> slice, ArrayList<Future<?>> all) throws IOException {
        try {
            slice.get();
        } catch (InterruptedException e) {
            all.forEach(other -> other.cancel(true));
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while measuring message sizes");
        } catch (ExecutionException e) {
            all.forEach(other -> other.cancel(true));
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
                    : e.getCause() instanceof IOException io ? io : new IOException("cannot measure a message", e.getCause());
        }
    }

    /**
     * The message's size as FETCH BODY[] sends it (through the same CRLF conversion, so the two agree
     * by construction), or {@link StoredMessage#UNKNOWN_SIZE} when its file is gone (expunged meanwhile).
     */
    private long virtualSize(StoredMessage message) throws IOException {
        try (var in = new CrlfInputStream(store.open(message))) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (MessageNotFoundException | NoSuchFileException gone) {
            return StoredMessage.UNKNOWN_SIZE;
        }
    }
}
