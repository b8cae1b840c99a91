package org.roost.index;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.roost.mail.StoredMessage;
import org.roost.mail.UidSet;
import org.roost.storage.MailboxStore;

/**
 * The rows of a mailbox opened from its storage's summary, read by one streamed scan in UID order on a thread of
 * its own, so that a command answers from the rows read while the rest stream in: a cold replica's first
 * {@code UID FETCH 1:* (UID FLAGS)} of a million messages writes its first lines while the database still sends the
 * others.
 *
 * <p>The rows are those of the summary's instant, which sessions were shown: the messages below its UIDNEXT as read
 * now (with their flags as read, their MODSEQs no higher than its HIGHESTMODSEQ), and a row of its UID alone for each
 * one expunged since, put in its place as the rows stream by (the storage tells them first, of the same instant).
 * So every prefix read is a prefix of the final table, and an answer from it is the answer the whole would give.
 * A read cut short (a connection lost mid-stream) resumes after the last UID it took, once at once and then at the
 * next need, so that the rows already shown stay as they were shown; a read that cannot resume fails the commands
 * waiting for rows it has not read, with the storage's error.
 */
final class StreamedRows implements MailboxStore.ScanConsumer {
    /** Rows read between two publications of the rows read so far (each a small object over the shared columns). */
    static final int PUBLISHED_EVERY = 4096;
    /** Reads of one attempt: the first, and one resuming after a failure. */
    private static final int TRIES = 2;
    private static final System.Logger LOG = System.getLogger(StreamedRows.class.getName());

    private final MailboxStore store;
    private final MailboxStore.Summary summary;
    private final KeyArena keys;
    private final KeywordNames names;
    /** Run as each read starts (the state counts its scans). */
    private final Runnable onRead;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progressed = lock.newCondition();
    /** The read running now, or null. Guarded by {@link #lock}. */
    private Attempt running;
    /** The rows read so far, published every {@link #PUBLISHED_EVERY}; the whole table once {@link #done}. */
    private volatile MessageTable soFar;
    private volatile boolean done;

    // Written by the reading thread alone (one attempt at a time; an attempt's end is published under the lock).
    private MessageTable.Builder builder;
    /** The UIDs expunged since the summary's instant, as of the read under way; null when not known. */
    private UidSet gone;
    /** The range of {@link #gone} the next row may follow. */
    private int goneRange;
    /** The UID of the last row taken (a message, or one expunged since), 0 before the first. */
    private long lastUid;
    private int unpublished;

    /** A read of the rows on the reading thread; {@code failure} set when it ended without them. */
    private static final class Attempt {
        private boolean over;
        private Exception failure;
    }

    StreamedRows(MailboxStore store, MailboxStore.Summary summary, KeyArena keys, KeywordNames names,
                 Runnable onRead) {
        this.store = store;
        this.summary = summary;
        this.keys = keys;
        this.names = names;
        this.onRead = onRead;
    }

    /** Whether every row is read. */
    boolean done() {
        return done;
    }

    /** At least the first {@code rows} rows (all of them when there are fewer), reading them first if need be. */
    MessageTable through(int rows) {
        return await(t -> t.count() >= rows);
    }

    /** The rows up to the first whose UID is at least {@code uid} (all of them when none is), reading them first if need be. */
    MessageTable reaching(long uid) {
        return await(t -> t.count() > 0 && t.uid(t.count() - 1) >= uid);
    }

    /** Every row: waits for the read to end (starting it if none runs). */
    MessageTable all() throws IOException {
        try {
            return await(t -> false);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private MessageTable await(Predicate<MessageTable> enough) {
        var t = enough(enough);
        if (t != null) {
            return t;
        }
        lock.lock();
        try {
            var attempt = running != null ? running : start();
            while ((t = enough(enough)) == null) {
                if (attempt.over) {
                    throw attempt.failure instanceof IOException io ? new UncheckedIOException(io)
                            : new IllegalStateException("reading the rows failed", attempt.failure);
                }
                progressed.await();
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the rows were read", e);
        } finally {
            lock.unlock();
        }
    }

    /** The rows read so far if they are all or {@code enough}, else null. */
    private MessageTable enough(Predicate<MessageTable> enough) {
        boolean whole = done; // read first: it is written after the whole table is published
        var t = soFar;
        return whole || t != null && enough.test(t) ? t : null;
    }

    /** Starts a read on a thread of its own (under the lock). */
    private Attempt start() {
        var attempt = new Attempt();
        running = attempt;
        Thread.ofVirtual().name("rows-read").start(() -> read(attempt));
        return attempt;
    }

    private void read(Attempt attempt) {
        Exception failure = null;
        for (int tries = 0; tries < TRIES && !done; tries++) {
            try {
                onRead.run();
                store.scanAsOf(summary.highestModseq(), lastUid + 1, this);
                finish();
                failure = null;
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: reading the rows stopped after UID {1}: {2}",
                        store.name(), lastUid, e.toString());
                failure = e;
            }
        }
        lock.lock();
        try {
            attempt.over = true;
            attempt.failure = failure;
            running = null;
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void expungedAfter(UidSet uids) {
        gone = uids;
        goneRange = 0;
    }

    @Override
    public void expect(int messages) {
        if (builder == null) {
            builder = MessageTable.builder(keys, names, messages);
        }
    }

    @Override
    public void accept(StoredMessage m) {
        accept(m, summary.highestModseq());
    }

    @Override
    public void accept(StoredMessage m, long modseq) {
        if (below(m.uid())) {
            add(m.uid(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()), modseq,
                    m.internalDate().getEpochSecond(), m.physicalSize(), m.virtualSize(), keys.add(m.key()));
        }
    }

    @Override
    public void accept(MailboxStore.ScanRow m) {
        if (below(m.uid())) {
            add(m.uid(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()), m.modseq(),
                    m.internalDateSeconds(), m.physicalSize(), m.virtualSize(), keys.add(m));
        }
    }

    /** Whether {@code uid} was there at the summary's instant; the rows expunged since below it are taken first. */
    private boolean below(long uid) {
        if (uid >= summary.uidNext()) {
            return false; // added since: the next refresh tells of it
        }
        expungedBelow(uid);
        return true;
    }

    private void add(long uid, int flags, long keywords, long modseq, long date, long size, long virtualSize,
                     long keyRef) {
        builder.add(uid, flags, keywords, Math.min(modseq, summary.highestModseq()), date, size, virtualSize, keyRef);
        lastUid = uid;
        if (++unpublished >= PUBLISHED_EVERY && gone != null) {
            publish(builder.build(), false);
        }
    }

    /**
     * A row of its UID alone for each message expunged since the summary's instant below {@code limit} and after the
     * last row taken: the next refresh reports it expunged (its MODSEQ is the summary's, its flags none).
     */
    private void expungedBelow(long limit) {
        if (gone == null) {
            return; // the storage no longer tells: the count will not be the summary's (see MailboxState)
        }
        for (; goneRange < gone.ranges() && gone.low(goneRange) < limit; goneRange++) {
            for (long uid = Math.max(gone.low(goneRange), lastUid + 1); uid <= Math.min(gone.high(goneRange), limit - 1);
                    uid++) {
                add(uid, 0, 0, summary.highestModseq(), MessageTable.UNKNOWN_DATE, StoredMessage.UNKNOWN_SIZE,
                        StoredMessage.UNKNOWN_SIZE, keys.add(Long.toString(uid)));
            }
            if (gone.high(goneRange) >= limit) {
                return; // the rest of this range lies after the row that comes next
            }
        }
    }

    private void finish() {
        if (builder == null) {
            builder = MessageTable.builder(keys, names, 0);
        }
        expungedBelow(summary.uidNext());
        var whole = builder.build();
        if (whole.count() != summary.count()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: {1} messages read where the storage''s summary said {2}",
                    store.name(), whole.count(), summary.count());
        }
        publish(whole, true);
    }

    private void publish(MessageTable rows, boolean whole) {
        unpublished = 0;
        lock.lock();
        try {
            soFar = rows;
            done = whole; // after the table: see enough()
            progressed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
