package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.net.Cancellation;

/**
 * Looks up the {@link Fact facts} a mailbox's storage did not tell when it listed the messages (a
 * Maildir that was never indexed is listed without a stat of its files, and files named by another
 * program state no virtual size): what a message's file tells, through a stat, and its virtual size,
 * where nothing states it, by reading it as clients get it and counting the bytes. SELECT never waits
 * for this; the first command that needs the facts does, for the messages it names, in batches: each
 * batch is looked up by a few threads side by side ({@link FileLookups}: a disk answers many small
 * requests at once faster than one after the other), then handed to a recorder that keeps the facts,
 * so the work is done once and what was found stays found if the command stops halfway.
 *
 * <p>One batch at a time per mailbox, taken in turn: a second session needing the same facts waits
 * for the batch being looked up, then finds it done, instead of looking at the same files again; a
 * session needing others waits for one batch at most, never for another session's whole pass. No
 * other lock is held while files are looked at.
 */
final class FactFinder {
    /** Messages per batch: one index log transaction each. */
    static final int BATCH = 2048;

    /** One way to reach a message's file (or its hold, for a message expunged meanwhile). */
    interface FileAccess<T> {
        T apply(StoredMessage message) throws IOException;
    }

    /** Keeps the facts of one batch. */
    interface Recorder {
        /** {@code found[k]} is row {@code rows[k]} with what was found of it, or null where its file is gone. */
        void found(MessageTable table, int[] rows, StoredMessage[] found) throws IOException;
    }

    private final FileAccess<StoredMessage> stat;
    private final FileAccess<InputStream> open;
    private final FileLookups lookups;
    private final ReentrantLock batchLock = new ReentrantLock(true);

    /**
     * {@code stat} gives a message with what its file tells ({@link org.roost.storage.MailboxStore#stat}),
     * {@code open} its bytes as clients get them (CRLF line ends); {@code lookups} runs them.
     */
    FactFinder(FileAccess<StoredMessage> stat, FileAccess<InputStream> open, FileLookups lookups) {
        this.stat = stat;
        this.open = open;
        this.lookups = lookups;
    }

    /**
     * Looks up {@code needed} for the rows of {@code table} that lack it, batch by batch, checking
     * {@code cancellation} between batches, per message and while waiting for another session's batch.
     */
    void find(MessageTable table, int[] rows, Set<Fact> needed, Cancellation cancellation, Recorder recorder)
            throws IOException {
        for (int from = 0; from < rows.length; from += BATCH) {
            cancellation.check();
            FileLookups.lock(batchLock, cancellation, "waiting to look up message facts");
            try {
                var batch = missing(table, rows, from, Math.min(rows.length, from + BATCH), needed);
                if (batch.length > 0) {
                    recorder.found(table, batch, lookUp(table, batch, needed, cancellation));
                }
            } finally {
                batchLock.unlock();
            }
        }
    }

    /** The rows of {@code rows[from, to)} still lacking a fact: another session may have found some meanwhile. */
    private static int[] missing(MessageTable table, int[] rows, int from, int to, Set<Fact> needed) {
        return Arrays.stream(rows, from, to).filter(row -> Fact.missing(needed, table, row)).toArray();
    }

    /** Looks up the messages of {@code rows} on the {@link FileLookups} threads. */
    private StoredMessage[] lookUp(MessageTable table, int[] rows, Set<Fact> needed, Cancellation cancellation)
            throws IOException {
        var found = new StoredMessage[rows.length];
        lookups.forEach(rows.length, k -> found[k] = lookUp(table.message(rows[k]), needed), cancellation);
        return found;
    }

    /**
     * One message with {@code needed} found: its file's status first where unknown (which may state
     * the virtual size too), then, where the virtual size is needed and still unknown, its size as
     * FETCH BODY[] sends it (through the same CRLF conversion, so the two agree by construction).
     * Null when its file is gone (expunged meanwhile) or is no regular file.
     */
    private StoredMessage lookUp(StoredMessage message, Set<Fact> needed) throws IOException {
        try {
            var found = message.fileStatusKnown() ? message : stat.apply(message);
            if (needed.contains(Fact.VIRTUAL_SIZE) && !found.virtualSizeKnown()) {
                try (var in = open.apply(found)) {
                    found = found.withVirtualSize(in.transferTo(OutputStream.nullOutputStream()));
                }
            }
            return found;
        } catch (MessageNotFoundException | NoSuchFileException gone) {
            return null;
        }
    }
}
