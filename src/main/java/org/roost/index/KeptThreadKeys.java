package org.roost.index;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.mail.sort.ThreadKeys.Column;
import org.roost.net.Cancellation;

/**
 * The {@link ThreadKeys} of every message of one mailbox, shared by its sessions like the
 * {@link SortRankings}: the first THREAD reads every message's header (from the structure cache, or
 * read alone from the message file when it was never parsed) on the {@link FileLookups} threads; later THREADs
 * pick their messages' rows out of the kept columns. Messages newer than the keys (APPEND, COPY,
 * delivery) are read alone and their rows added, their subjects and IDs numbered by the
 * {@link ThreadKeyNames} (what each number stands for, in a file); expunged messages leave unused rows
 * until they are most of them, when the rows still used are compacted (and their numbers with them). The
 * keys are kept across restarts in a {@link KeptFile} ({@value #NAME}: UIDs, the reference bound they
 * were made with, the packed columns and the names file's token), written after every making of the
 * keys and, once they are kept, again only when a restart would otherwise read more than one message in
 * {@value #REWRITE_FRACTION} again or more than {@value #MAX_ADDED_NAMES} names are held: the first THREAD
 * after a start reads the file and only the messages newer than it. Without an index directory no names
 * are kept, and a new message makes the keys again.
 */
final class KeptThreadKeys {
    /**
     * The keys of the messages {@code uids} (ascending, unsigned), what their numbers stand for (null
     * when not kept), and how many rows were added since the files were written.
     */
    private record Kept(int[] uids, ThreadKeys keys, int maxReferences, ThreadKeyNames names, int unwritten) {
        long lastUid() {
            return uids.length == 0 ? 0 : Integer.toUnsignedLong(uids[uids.length - 1]);
        }
    }

    static final String NAME = "roost.index.thread";
    /** "RTK2". */
    private static final int MAGIC = 0x52544b32;
    /** New messages are read this many at once (their headers' facts held meanwhile)... */
    private static final int READ_BATCH = 1024;
    /** ... and added to the keys this many at once (each addition copies the columns). */
    private static final int ADD_BATCH = 16384;
    /** The files are written again once a restart would read more than one kept message in this many again... */
    private static final int REWRITE_FRACTION = 8;
    /** ... or more names than this were given since (held on the heap until then). */
    private static final int MAX_ADDED_NAMES = 8192;
    private static final System.Logger LOG = System.getLogger(KeptThreadKeys.class.getName());
    private final FileLookups lookups;
    private final Path directory;
    private final KeptFile file;
    private final Path runs;
    private final int runBytes;
    /** Held while the keys are made or brought up to date: another session waits for them rather than making them too. */
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Kept kept;

    /**
     * {@code runBytes}: the keys a first pass holds in one run in memory ({@link org.roost.mail.sort.KeyRanker});
     * {@code directory}: where the keys are kept across restarts, or null for nowhere.
     */
    KeptThreadKeys(FileLookups lookups, int runBytes, Path directory) {
        this.lookups = lookups;
        this.runBytes = runBytes;
        this.directory = directory;
        this.file = directory == null ? null : new KeptFile(directory, NAME, MAGIC);
        this.runs = directory != null ? directory : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * The keys of the messages {@code found} (sequence numbers of {@code view}, ascending), row i
     * the message {@code found[i]}; each message's references are at most its last {@code maxReferences}.
     */
    ThreadKeys select(MailboxView view, int[] found, int maxReferences, Cancellation cancellation)
            throws IOException {
        var current = upToDate(view, maxReferences, cancellation);
        var uids = current.uids();
        var rows = new int[found.length];
        int row = 0;
        for (int i = 0; i < found.length; i++) { // one walk along both ascending lists
            long uid = view.uid(found[i]);
            while (row < uids.length && Integer.toUnsignedLong(uids[row]) < uid) {
                row++;
            }
            rows[i] = row < uids.length && Integer.toUnsignedLong(uids[row]) == uid ? row : ThreadKeys.NONE;
        }
        return current.keys().select(rows, i -> view.internalDateSeconds(found[i]));
    }

    private Kept upToDate(MailboxView view, int maxReferences, Cancellation cancellation) throws IOException {
        FileLookups.lock(lock, cancellation, "waiting for the thread keys another session makes");
        try {
            var current = kept;
            if (current == null && file != null) {
                current = file.read(view.uidValidity(), this::read);
            }
            current = current == null || current.maxReferences() != maxReferences
                    ? built(view, maxReferences, cancellation)
                    : updated(current, view, cancellation);
            kept = current;
            return current;
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code current} with the messages of {@code view} newer than it added, and compacted when most of
     * its rows are of messages expunged since (only for a current view: one behind must not lose what it
     * has not seen expunged); made again when no names are kept, when more messages are new than kept,
     * or when the names file is not to trust.
     */
    private Kept updated(Kept current, MailboxView view, Cancellation cancellation) throws IOException {
        int firstNew = view.firstSequenceAtLeast(current.lastUid() + 1);
        int added = view.count() - firstNew + 1;
        int unused = current.uids().length - (firstNew - 1);
        boolean compact = view.isCurrent() && unused > current.uids().length / 2;
        if (added == 0 && !compact) {
            return current;
        }
        if (current.names() == null || added > current.uids().length) {
            return built(view, current.maxReferences(), cancellation);
        }
        try {
            var next = appended(current, view, firstNew, cancellation);
            return compact ? written(next, RankingUpdate.held(next.uids(), view), view.uidValidity()) : next;
        } catch (ThreadKeyNames.Untrusted e) {
            LOG.log(System.Logger.Level.INFO, "{0}: made again ({1})", NAME, e.getMessage());
            return built(view, current.maxReferences(), cancellation);
        }
    }

    /** {@code current} with the messages of {@code view} from {@code firstNew} on added, each read once. */
    private Kept appended(Kept current, MailboxView view, int firstNew, Cancellation cancellation)
            throws IOException {
        var next = current;
        var rows = new ArrayList<ThreadKeys.Row>();
        for (int from = firstNew; from <= view.count(); from += READ_BATCH) {
            int first = from;
            var read = new ThreadFacts[Math.min(READ_BATCH, view.count() - from + 1)];
            lookups.forEach(read.length, i -> read[i] = facts(view, first + i, current.maxReferences()), cancellation);
            try (var names = next.names().lookup()) {
                for (var facts : read) {
                    rows.add(row(facts, names));
                }
            }
            int last = from + read.length - 1;
            if (rows.size() >= ADD_BATCH || last == view.count()) {
                next = plus(next, rows, view, last);
                rows.clear();
                if (next.unwritten() > next.uids().length / REWRITE_FRACTION
                        || next.names().addedCount() > MAX_ADDED_NAMES) {
                    next = written(next, null, view.uidValidity());
                }
            }
        }
        return next;
    }

    /** {@code kept} with {@code rows}, those of {@code view}'s messages up to {@code last} after its own. */
    private static Kept plus(Kept kept, List<ThreadKeys.Row> rows, MailboxView view, int last) {
        int n = kept.uids().length;
        var uids = Arrays.copyOf(kept.uids(), n + rows.size());
        for (int i = 0; i < rows.size(); i++) {
            uids[n + i] = (int) view.uid(last - rows.size() + 1 + i);
        }
        var names = kept.names();
        var keys = kept.keys().plus(rows, names.count(Column.SUBJECT), names.count(Column.ID));
        return new Kept(uids, keys, kept.maxReferences(), names, kept.unwritten() + rows.size());
    }

    private static ThreadKeys.Row row(ThreadFacts facts, ThreadKeyNames.Lookup names) throws IOException {
        var references = new int[facts.references().size()];
        for (int k = 0; k < references.length; k++) {
            references[k] = names.number(Column.ID, facts.references().get(k));
        }
        return new ThreadKeys.Row(facts.sentDate(), names.number(Column.SUBJECT, facts.subject().text()),
                facts.subject().replyOrForward(),
                facts.messageId() == null ? ThreadKeys.NONE : names.number(Column.ID, facts.messageId()), references);
    }

    /**
     * {@code kept} written to the files, its names merged; only its rows {@code held} (positions,
     * ascending) and the numbers they use when not null. When the names cannot be written, {@code kept}
     * as it was (its names still held, tried again at the next addition).
     */
    private Kept written(Kept kept, int[] held, long uidValidity) throws IOException {
        var keys = kept.keys();
        var uids = kept.uids();
        ThreadKeyNames names;
        try {
            if (held == null) {
                var same = IntUnaryOperator.identity();
                names = kept.names().rewritten(same, keys.subjectCount(), same, keys.idCount());
            } else {
                var numbers = keys.renumbering(held);
                names = kept.names().rewritten(old -> numbers.subjects()[old], numbers.subjectCount(),
                        old -> numbers.ids()[old], numbers.idCount());
                keys = keys.compacted(held, numbers);
                uids = Arrays.stream(held).map(p -> kept.uids()[p]).toArray();
            }
        } catch (ThreadKeyNames.Untrusted e) {
            throw e;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the thread keys' names: " + e);
            return kept;
        }
        var written = new Kept(uids, keys, kept.maxReferences(), names, 0);
        write(uidValidity, written);
        return written;
    }

    /** Forgets the keys (the mailbox was rebuilt: UIDs may name other messages). */
    void clear() {
        kept = null;
        if (file != null) {
            try {
                file.delete();
                Files.deleteIfExists(directory.resolve(ThreadKeyNames.NAME));
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove the kept thread keys: " + e);
            }
        }
    }

    private Kept read(DataInputStream in, long size) throws IOException {
        int maxReferences = in.readInt();
        var uids = KeptFile.readUids(in, size);
        var keys = ThreadKeys.read(in, uids.length, size);
        var names = new ThreadKeyNames(directory.resolve(ThreadKeyNames.NAME), in.readLong(), keys.subjectCount(),
                keys.idCount());
        return new Kept(uids, keys, maxReferences, in.readBoolean() ? names : null, 0);
    }

    private void write(long uidValidity, Kept contents) {
        if (file == null) {
            return;
        }
        try {
            file.write(uidValidity, out -> {
                out.writeInt(contents.maxReferences());
                KeptFile.writeUids(out, contents.uids());
                contents.keys().write(out);
                out.writeLong(contents.names() == null ? 0 : contents.names().token());
                out.writeBoolean(contents.names() != null);
            });
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the thread keys for the next start: " + e);
        }
    }

    long heapBytes() {
        var current = kept;
        return current == null ? 0 : 4L * current.uids().length + current.keys().heapBytes();
    }

    /** Every message of {@code view} read, its keys made, kept in the files with what their numbers stand for. */
    private Kept built(MailboxView view, int maxReferences, Cancellation cancellation) throws IOException {
        int n = view.count();
        var uids = new int[n];
        for (int seq = 1; seq <= n; seq++) {
            uids[seq - 1] = (int) view.uid(seq);
        }
        try (var keys = new ThreadKeys.Builder(n, runs, runBytes); var names = namesWriter()) {
            lookups.forEach(n, i -> keys.set(i, facts(view, i + 1, maxReferences)), cancellation);
            var made = keys.build(names == null ? (column, number, key, length) -> { } : names);
            var kept = new Kept(uids, made, maxReferences, finished(names, made), 0);
            write(view.uidValidity(), kept);
            return kept;
        }
    }

    /** The names {@code names} wrote of {@code keys}, or null when there are none or they could not be written. */
    private static ThreadKeyNames finished(ThreadKeyNames.Writer names, ThreadKeys keys) {
        try {
            return names == null ? null : names.finish(keys.subjectCount(), keys.idCount());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the thread keys' names: " + e);
            return null;
        }
    }

    /** Where the names of keys being made go, or null when they cannot be kept. */
    private ThreadKeyNames.Writer namesWriter() {
        if (directory == null) {
            return null;
        }
        try {
            return new ThreadKeyNames.Writer(directory);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot keep the thread keys' names: " + e);
            return null;
        }
    }

    private static ThreadFacts facts(MailboxView view, int seq, int maxReferences) throws IOException {
        try {
            return ThreadFacts.of(view.state().header(view.message(seq)), view.internalDateSeconds(seq),
                    maxReferences);
        } catch (MessageNotFoundException gone) { // expunged meanwhile: a message without headers (its EXPUNGE follows)
            return ThreadFacts.headerless(view.internalDateSeconds(seq));
        }
    }
}
