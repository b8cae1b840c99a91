package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.net.Cancellation;

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
    /** How often a session waiting for a batch or a reader looks at its cancellation. */
    private static final long CHECK_INTERVAL_MILLIS = 100;

    /** Keeps the sizes of one measured batch. */
    interface Recorder {
        /** {@code sizes[k]} is the virtual size of row {@code rows[k]}, {@link StoredMessage#UNKNOWN_SIZE} if its file is gone. */
        void measured(MessageTable table, int[] rows, long[] sizes) throws IOException;
    }

    /** A message's bytes as clients get them (CRLF line ends), from its file or from its hold. */
    interface Source {
        InputStream open(StoredMessage message) throws IOException;
    }

    private final Source source;
    private final ReentrantLock batchLock = new ReentrantLock();

    SizeMeasurer(Source source) {
        this.source = source;
    }

    /**
     * Measures the rows of {@code table} whose virtual size is unknown, batch by batch, checking
     * {@code cancellation} between batches, per message and while waiting for another session's batch.
     */
    void measure(MessageTable table, int[] rows, Cancellation cancellation, Recorder recorder) throws IOException {
        for (int from = 0; from < rows.length; from += BATCH) {
            cancellation.check();
            lockBatch(cancellation);
            try {
                var batch = unknown(table, rows, from, Math.min(rows.length, from + BATCH));
                if (batch.length > 0) {
                    recorder.measured(table, batch, read(table, batch, cancellation));
                }
            } finally {
                batchLock.unlock();
            }
        }
    }

    /** Waits for another session's batch, unless this session is cancelled or interrupted (kicked, shutting down). */
    private void lockBatch(Cancellation cancellation) throws InterruptedIOException {
        try {
            while (!batchLock.tryLock(CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                cancellation.check();
            }
        } catch (InterruptedException e) {
            throw interrupted("waiting to measure message sizes");
        }
    }

    /** The rows of {@code rows[from, to)} still unknown: another session may have measured some meanwhile. */
    private static int[] unknown(MessageTable table, int[] rows, int from, int to) {
        return Arrays.stream(rows, from, to).filter(row -> table.virtualSize(row) == StoredMessage.UNKNOWN_SIZE)
                .toArray();
    }

    /**
     * Reads the messages of {@code rows}, {@link #READERS} at a time, handed out one by one by this
     * (the session's) thread, which alone may check the cancellation; stops at the first failure,
     * cancellation or interrupt, abandoning the reads in flight.
     */
    private long[] read(MessageTable table, int[] rows, Cancellation cancellation) throws IOException {
        var sizes = new long[rows.length];
        var failure = new AtomicReference<Exception>();
        var slots = new Semaphore(READERS);
        var readers = Executors.newVirtualThreadPerTaskExecutor();
        try {
            for (int k = 0; k < rows.length && failure.get() == null; k++) {
                cancellation.check();
                takeSlot(slots, cancellation);
                var message = table.message(rows[k]);
                int at = k;
                readers.execute(() -> {
                    try {
                        sizes[at] = virtualSize(message);
                    } catch (IOException | RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        slots.release();
                    }
                });
            }
            readers.close(); // waits for the reads in flight
            if (Thread.currentThread().isInterrupted()) {
                throw interrupted("measuring message sizes");
            }
        } finally {
            if (!readers.isTerminated()) {
                readers.shutdownNow();
            }
        }
        return switch (failure.get()) {
            case null -> sizes;
            case IOException io -> throw io;
            case UncheckedIOException io -> throw io.getCause();
            case Exception other -> throw new IOException("cannot measure a message", other);
        };
    }

    private static void takeSlot(Semaphore slots, Cancellation cancellation) throws InterruptedIOException {
        try {
            while (!slots.tryAcquire(CHECK_INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                cancellation.check();
            }
        } catch (InterruptedException e) {
            throw interrupted("measuring message sizes");
        }
    }

    private static InterruptedIOException interrupted(String doing) {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while " + doing);
    }

    /**
     * The message's size as FETCH BODY[] sends it (through the same CRLF conversion, so the two agree
     * by construction), or {@link StoredMessage#UNKNOWN_SIZE} when its file is gone (expunged meanwhile).
     */
    private long virtualSize(StoredMessage message) throws IOException {
        try (var in = source.open(message)) {
            return in.transferTo(OutputStream.nullOutputStream());
        } catch (MessageNotFoundException | NoSuchFileException gone) {
            return StoredMessage.UNKNOWN_SIZE;
        }
    }
}
