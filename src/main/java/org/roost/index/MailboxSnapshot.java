package org.roost.index;

import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * An immutable picture of a mailbox at one moment: its messages in ascending UID order, held
 * as primitive columns ({@link MessageTable}); {@link StoredMessage} objects are made on demand.
 * Sessions hold on to the snapshot they last reported and compare it with the current one.
 *
 * <p>The first snapshot of a mailbox opened from its index file reads its records when first
 * asked for a message: until then the header's {@link TableSummary} answers what SELECT and STATUS
 * ask.
 */
public final class MailboxSnapshot {
    /** The heap a row costs at least (the table's fixed columns), for weighing a table not yet read. */
    private static final int MIN_ROW_BYTES = 25;
    private final long version;
    private final long uidValidity;
    private final long uidNext;
    private final long highestModseq;
    /**
     * Reads the records; dropped once they are read, with all it holds (the index file's records and the
     * log's changes: tens of MB for a million messages), since this snapshot may stay current for hours.
     * Guarded by this snapshot's monitor.
     */
    private Callable<MessageTable> reader;
    /** Runs {@link #reader}: run by the first caller that needs the records, waited for by the others; null once read. */
    private volatile FutureTask<MessageTable> records;
    private final KeywordNames names;
    /** The rows as they stream in, where the reader is such a read (else null): see {@link #rowsThrough}. */
    private final StreamedRows streamed;
    private volatile MessageTable table;
    /** Run once the records are read (see {@link #onRecordsRead}). */
    private final java.util.Queue<Runnable> whenRead = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicReference<Summary> summary = new AtomicReference<>();
    /**
     * Batches of facts filled into this snapshot's table since it was made (see {@link MessageTable#fill}):
     * a summary made before the last one may miss some sizes.
     */
    private final AtomicLong fills = new AtomicLong();

    /** A summary, and the {@link #fills} it reflects. */
    private record Summary(TableSummary numbers, long fills) {}

    MailboxSnapshot(long version, long uidValidity, long uidNext, long highestModseq, MessageTable table) {
        this(version, uidValidity, uidNext, highestModseq, (Callable<MessageTable>) null, null, table.keywordNames());
        this.table = table;
    }

    /** A snapshot whose table {@code reader} reads on demand; {@code summary} describes it until then. */
    MailboxSnapshot(long version, long uidValidity, long uidNext, long highestModseq,
                    Callable<MessageTable> reader, TableSummary summary, KeywordNames names) {
        this(version, uidValidity, uidNext, highestModseq, reader, null, summary, names);
    }

    /** A snapshot whose table {@code streamed} reads on demand, answering from its rows read so far meanwhile. */
    MailboxSnapshot(long version, long uidValidity, long uidNext, long highestModseq, StreamedRows streamed,
                    TableSummary summary, KeywordNames names) {
        this(version, uidValidity, uidNext, highestModseq, streamed::all, streamed, summary, names);
    }

    private MailboxSnapshot(long version, long uidValidity, long uidNext, long highestModseq,
                    Callable<MessageTable> reader, StreamedRows streamed, TableSummary summary, KeywordNames names) {
        this.streamed = streamed;
        this.version = version;
        this.uidValidity = uidValidity;
        this.uidNext = uidNext;
        this.highestModseq = highestModseq;
        this.reader = reader;
        this.records = reader == null ? null : new FutureTask<>(reader);
        this.summary.set(summary == null ? null : new Summary(summary, 0));
        this.names = names;
    }

    public long version() {
        return version;
    }

    public long uidValidity() {
        return uidValidity;
    }

    public long uidNext() {
        return uidNext;
    }

    public long highestModseq() {
        return highestModseq;
    }

    /** The table, reading its records first if nobody has yet (or waiting for whoever is). */
    MessageTable table() {
        var t = table;
        if (t == null) {
            t = readRecords();
            table = t;
            forgetReader();
            summary.set(null); // recomputed from the records (they win should they disagree with the header)
            runWhenRead();
        }
        return t;
    }

    /**
     * At least the first {@code rows} rows of the table (all of them when it has fewer): while they stream in, the
     * rows read so far once they reach that far (a prefix of the table, see {@link StreamedRows}); else the table.
     */
    MessageTable rowsThrough(int rows) {
        return streamed == null || table != null ? table() : whole(streamed.through(rows));
    }

    /** The rows up to the first whose UID is at least {@code uid}, as {@link #rowsThrough} gives them. */
    MessageTable rowsReaching(long uid) {
        return streamed == null || table != null ? table() : whole(streamed.reaching(uid));
    }

    /** {@code rows}, or the table once every row is read (so that it is set, and what waits for it runs). */
    private MessageTable whole(MessageTable rows) {
        return streamed.done() ? table() : rows;
    }

    /** Whether the table is read (not only some rows of it). */
    boolean isRead() {
        return table != null;
    }

    /**
     * Runs {@code action} once the records are read (at once when they are): for work that wants
     * them but must not be the one to read them, such as warming a cache, since reading a large
     * index right at SELECT would compete with SELECT. {@code action} should be quick.
     */
    void onRecordsRead(Runnable action) {
        whenRead.add(action);
        if (table != null) {
            runWhenRead();
        }
    }

    private void runWhenRead() {
        Runnable action;
        while ((action = whenRead.poll()) != null) {
            action.run();
        }
    }

    /** Lets go of the reader once {@link #table} is set (so a caller finding no task finds the table). */
    private synchronized void forgetReader() {
        reader = null;
        records = null;
    }

    private MessageTable readRecords() {
        var task = records;
        if (task == null) {
            return table; // read meanwhile by another caller, which set the table before letting go of the task
        }
        task.run(); // a no-op when another thread runs it or has run it
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the index was read", e);
        } catch (ExecutionException e) {
            synchronized (this) {
                if (records == task) {
                    records = new FutureTask<>(reader); // a failure (an I/O error) is not for ever: the next caller tries again
                }
            }
            throw e.getCause() instanceof java.io.IOException io ? new UncheckedIOException(io)
                    : new IllegalStateException("reading the index failed", e.getCause());
        }
    }

    /**
     * The numbers SELECT and STATUS report, computed once per snapshot (and again after sizes were
     * found elsewhere). A summary computed while sizes are being filled in is not kept over the one
     * {@link #sizesFound} brings up to date.
     */
    TableSummary summary() {
        long filled = fills.get();
        var s = summary.get();
        if (s == null || s.fills() != filled) {
            var computed = new Summary(TableSummary.of(table()), filled);
            summary.compareAndSet(s, computed);
            s = computed;
        }
        return s.numbers();
    }

    /** The summary when it is at hand (made, and no sizes filled in since): never a pass over the rows. */
    TableSummary summaryAtHand() {
        var s = summary.get();
        return s != null && s.fills() == fills.get() ? s.numbers() : null;
    }

    /** Notes this new snapshot's summary, made without a pass over its rows (null: computed when first asked). */
    void summaryKnown(TableSummary numbers) {
        if (numbers != null) {
            summary.compareAndSet(null, new Summary(numbers, fills.get()));
        }
    }

    /**
     * Notes that {@code sized} virtual sizes, together {@code bytes}, were filled into this snapshot's
     * table, whose summary was {@code before} (called after the fills, under the state's lock, which
     * every fill takes): the summary is brought up to date without a pass over a million rows per batch.
     */
    void sizesFound(TableSummary before, int sized, long bytes) {
        summary.set(new Summary(before.withMeasured(sized, bytes), fills.incrementAndGet()));
    }

    /** Notes that sizes were filled into this snapshot's table by another's lookup: its summary is made again. */
    void summaryStale() {
        fills.incrementAndGet();
    }

    KeywordNames keywordNames() {
        return names;
    }

    /** Heap held by the table (estimated from the row count while it is being read). */
    long heapBytes() {
        var t = table;
        return t != null ? t.heapBytes() : (long) summary().count() * MIN_ROW_BYTES;
    }

    public int count() {
        var t = table;
        return t != null ? t.count() : summary().count();
    }

    /** The UID of the last message, 0 when empty. */
    long lastUid() {
        var t = table;
        return t != null ? (t.count() == 0 ? 0 : t.uid(t.count() - 1)) : summary().lastUid();
    }

    /** The message at {@code index} (0-based, ascending UID). */
    public StoredMessage message(int index) {
        return table().message(index);
    }

    public long uid(int index) {
        return table().uid(index);
    }

    /** Every message, made afresh: costs an object per message, so meant for small mailboxes and tests. */
    public StoredMessage[] messages() {
        var t = table();
        var out = new StoredMessage[t.count()];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.message(i);
        }
        return out;
    }

    /** Index of the message with {@code uid}, or a negative insertion point as in {@link java.util.Arrays#binarySearch}. */
    public int indexOf(long uid) {
        return table().indexOf(uid);
    }

    public StoredMessage byUid(long uid) {
        int i = indexOf(uid);
        return i >= 0 ? table().message(i) : null;
    }

    /** Messages without {@code \Seen} (STATUS UNSEEN). */
    public int unseenCount() {
        return summary().unseenCount();
    }

    /** The messages flagged {@code \Deleted} and their stored sizes: reads the records, so asked for only when wanted. */
    public Reclaimable reclaimable() {
        var t = table();
        int messages = 0;
        long bytes = 0;
        for (int i = 0; i < t.count(); i++) {
            if (t.hasFlag(i, SystemFlag.DELETED)) {
                messages++;
                bytes += t.size(i);
            }
        }
        return new Reclaimable(messages, bytes);
    }

    /** Sum of RFC822.SIZE over the messages whose size is known (STATUS SIZE: measure the others first). */
    public long totalVirtualSize() {
        return summary().totalVirtualSize();
    }

    /** How many messages have a virtual size that is not known yet (see {@link MailboxState#measureSizes}). */
    int pendingSizes() {
        return summary().pendingSizes();
    }
}
