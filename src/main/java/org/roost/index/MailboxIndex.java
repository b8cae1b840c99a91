package org.roost.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.roost.storage.ChangeToken;

/**
 * The index files of one mailbox ({@code roost.index} and {@code roost.index.log}): loads them
 * (any damage: null, logged once, so the caller rebuilds from the mail), appends transactions to
 * the log, and folds the log into a new index file when it has grown.
 */
final class MailboxIndex implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(MailboxIndex.class.getName());
    /** The log is folded into the index once it is larger than this share of the index... */
    private static final int FOLD_RATIO = 4;
    /** ...and at least this large. */
    private static final long FOLD_MIN_BYTES = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path indexFile;
    private final Path logFile;
    private final boolean fsync;
    private final String label;
    /** Volatile: {@link #release} reads it outside the mailbox's lock. */
    private volatile IndexLog log;
    private long indexBytes;

    /** Damaged or foreign index files replaced by a rebuild from the mail, since the start (for metrics). */
    private static final java.util.concurrent.atomic.LongAdder REBUILDS = new java.util.concurrent.atomic.LongAdder();

    static long rebuilds() {
        return REBUILDS.sum();
    }

    MailboxIndex(Path directory, boolean fsync, String label) {
        this.indexFile = directory.resolve(IndexFormat.INDEX_FILE);
        this.logFile = directory.resolve(IndexFormat.LOG_FILE);
        this.fsync = fsync;
        this.label = label;
    }

    /**
     * A loaded index: the index file (header checked, records not yet read), where the log's checked
     * transactions end and how many changes they hold, and the state they stand for.
     */
    record Loaded(IndexFile.Opened file, Path logFile, long logLength, long logChanges, long uidNext,
                  long highestModseq, ChangeToken token, TableSummary summary) {
        /**
         * The table: the file's records (read and checked now) with the log's changes applied (read again
         * from the log, a batch at a time), checked against the summary the last commit recorded.
         */
        MessageTable table() throws IndexFile.DamagedException {
            var records = file.table(); // checked against the header's summary already
            if (logChanges == 0) {
                return records;
            }
            var batches = new Batches(records);
            try {
                IndexLog.changes(logFile, file.generation(), logLength, batches::add);
            } catch (IndexFile.DamagedException e) {
                throw e;
            } catch (IOException e) {
                throw new IndexFile.DamagedException("log unreadable (" + e.getMessage() + ")");
            }
            var table = batches.table();
            if (!TableSummary.of(table).equals(summary)) {
                throw new IndexFile.DamagedException("the log's changes disagree with its last commit");
            }
            return table;
        }
    }

    /**
     * Applies changes as {@link MessageTable#apply} does, in runs of one kind, but at most {@link #BATCH}
     * at a time: what is on the heap at once is a batch, not the log.
     */
    static final class Batches {
        /** Large enough that a long run of flag changes copies the table's flag columns rarely. */
        static final int BATCH = 65_536;
        private final List<Change> batch = new ArrayList<>();
        private MessageTable table;

        Batches(MessageTable table) {
            this.table = table;
        }

        void add(Change change) {
            if (batch.size() == BATCH || (!batch.isEmpty() && batch.get(0).getClass() != change.getClass())) {
                flush();
            }
            batch.add(change);
        }

        MessageTable table() {
            flush();
            return table;
        }

        private void flush() {
            table = table.apply(batch);
            batch.clear();
        }
    }

    /**
     * The index as on disk, or null when it is missing, has a damaged header or log header, or is
     * of another UIDVALIDITY. Damage in the records shows later, when {@link Loaded#table()} reads them.
     */
    Loaded load(long uidValidity) {
        closeLogQuietly();
        try {
            var file = IndexFile.open(indexFile);
            if (file == null) {
                return null;
            }
            if (file.uidValidity() != uidValidity) {
                LOG.log(System.Logger.Level.INFO, "{0}: index is of another UIDVALIDITY; rebuilding", label);
                REBUILDS.increment();
                return null;
            }
            indexBytes = file.size();
            var replayed = IndexLog.replay(logFile, file.generation(), file.names());
            if (replayed == null) {
                log = IndexLog.create(logFile, file.generation(), fsync, file.names().size());
                return new Loaded(file, logFile, 0, 0, file.uidNext(), file.highestModseq(), file.token(),
                        file.summary());
            }
            if (!replayed.clean()) {
                LOG.log(System.Logger.Level.WARNING, "{0}: index log ends in a torn or damaged record; "
                        + "checking the mailbox against the mail files", label);
            }
            log = IndexLog.reopen(logFile, replayed.validLength(), fsync, file.names().size());
            var last = replayed.last();
            var token = !replayed.clean() ? null : last == null ? file.token() : last.token();
            long uidNext = last == null ? file.uidNext() : last.uidNext();
            long modseq = last == null ? file.highestModseq() : last.highestModseq();
            var summary = last == null ? file.summary() : last.summary();
            return new Loaded(file, logFile, replayed.validLength(), replayed.changes(), uidNext, modseq, token,
                    summary);
        } catch (IndexFile.OutdatedException e) {
            LOG.log(System.Logger.Level.INFO, "{0}: index {1}; rebuilding it from the mail", label, e.getMessage());
            REBUILDS.increment();
            return null;
        } catch (IOException | RuntimeException e) {
            damaged(e);
            return null;
        }
    }

    /** Logs damage found in the index files (once per rebuild) and counts the rebuild. */
    void damaged(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: index damaged ({1}); rebuilding it from the mail", label,
                e.getMessage());
        REBUILDS.increment();
        closeLogQuietly();
    }

    /** Records one transaction; folds the log into the index when it has grown large. */
    void commit(List<? extends Change> changes, MailboxSnapshot after, ChangeToken token) throws IOException {
        commit(changes, after, token, true);
    }

    /**
     * Records facts looked up in the mail ({@link Change.Facts}) without making them durable on their
     * own: they can be looked up again, and a crash loses at most the last transactions (a torn one
     * ends the replay; a later durable commit makes the earlier ones durable too).
     */
    void commitFound(List<? extends Change> facts, MailboxSnapshot after, ChangeToken token) throws IOException {
        commit(facts, after, token, false);
    }

    private void commit(List<? extends Change> changes, MailboxSnapshot after, ChangeToken token, boolean durable)
            throws IOException {
        if (log == null) {
            rewrite(after, token);
            return;
        }
        log.write(changes, after.table().keywordNames(),
                new IndexLog.Commit(after.uidNext(), after.highestModseq(), token, after.summary()), durable);
        if (log.size() > Math.max(FOLD_MIN_BYTES, indexBytes / FOLD_RATIO)) {
            rewrite(after, token);
        }
    }

    /** Writes a new index file of {@code snapshot} and starts an empty log for it. */
    void rewrite(MailboxSnapshot snapshot, ChangeToken token) throws IOException {
        long generation = RANDOM.nextLong();
        closeLogQuietly();
        IndexFile.write(indexFile, snapshot.uidValidity(), snapshot.uidNext(), snapshot.highestModseq(), token,
                generation, snapshot.table(), fsync);
        indexBytes = Files.size(indexFile);
        log = IndexLog.create(logFile, generation, fsync, snapshot.table().keywordNames().size());
    }

    /** Removes the index files (before a rebuild on the operator's request). */
    void delete() throws IOException {
        closeLogQuietly();
        Files.deleteIfExists(indexFile);
        Files.deleteIfExists(logFile);
    }

    private void closeLogQuietly() {
        if (log != null) {
            log.close();
            log = null;
        }
    }

    /** Closes the log until the next commit opens it again; false when a write to it is under way. */
    boolean release() {
        var current = log;
        return current == null || current.release();
    }

    @Override
    public void close() {
        closeLogQuietly();
    }
}
