package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.IntStream;
import org.roost.mail.ConcurrentChangeException;
import org.roost.mail.FlagMode;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.mail.mime.BinarySection;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.DecodedSize;
import org.roost.mail.mime.MessageHeader;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.PreviewText;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.SortField;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;
import org.roost.storage.ChangeToken;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/**
 * The one shared state of an open mailbox: the current {@link MailboxSnapshot}, the writes that
 * change it, and the watchers (sessions in IDLE) told about each change. Every session of every
 * protocol sees the mailbox through this object, via its own view.
 *
 * <p>The state is kept in the mailbox's index files when the storage offers a place for them:
 * opening reads the index and the log instead of listing the mail, and a refresh lists the mail
 * only when the storage's {@link ChangeToken} moved. The mail stays the truth: whatever the index
 * says is checked against the token, and a damaged index is rebuilt from a scan.
 */
public final class MailboxState {
    /**
     * Without a change token, re-reading the storage on every command would cost a directory scan;
     * this bounds how often. With one, a refresh costs a few stat calls and is never skipped.
     */
    private static final long REFRESH_INTERVAL_NANOS = 250_000_000L;
    /** BINARY section sizes kept per open mailbox: a few dozen bytes each. */
    private static final int DECODED_SIZES_KEPT = 1024;
    /** Reads and writes of one flag change while other servers keep changing the same messages in between. */
    private static final int FLAG_WRITE_ATTEMPTS = 5;
    private static final System.Logger LOG = System.getLogger(MailboxState.class.getName());
    private final String user;
    private final String name;
    private final MailboxStore store;
    /** Null when the storage offers no place for index files, or when writing them failed. */
    private MailboxIndex index;
    /**
     * The expunged UIDs and the MODSEQ ceiling; null when {@link #index} is (MODSEQs are then not kept), and where
     * the storage {@link #storeModseqs allocates the MODSEQs}, which then keeps all of that itself.
     */
    private volatile ModseqHistory history;
    /**
     * Whether the storage allocates MODSEQs ({@link MailboxStore#allocatesModseqs()}: a database shared by replicas,
     * so that each serves the same): then every MODSEQ here is the storage's, and none is allocated by this state.
     */
    private final boolean storeModseqs;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Runnable> watchers = new CopyOnWriteArraySet<>();
    /** Stops the storage's telling of outside changes while watchers are there. Guarded by watchers. */
    private Runnable unfollowStorage;
    /** Told what kinds of change each publication made (the user's {@link MailboxEvents}). */
    private volatile Announcer announcer = (kinds, flags) -> { };
    /** Told when messages come or go, whoever adds or removes them (the full-text indexer). */
    private volatile IndexCache.ContentWatcher contentWatcher = IndexCache.ContentWatcher.NONE;
    private final StructureCache structures;
    private final DecodedSizes decodedSizes = new DecodedSizes(DECODED_SIZES_KEPT);
    private final SortRankings sortRankings;
    private final KeptThreadKeys threadKeys;
    private final FactFinder facts;
    private final ExpungedHolds expunged;
    private final KeyArena freshKeys = new KeyArena();
    private final Quotas quotas;
    /** Additions waiting for the next holder of {@link #lock} to commit them (see {@link #commitInTurn}). */
    private final ConcurrentLinkedQueue<QueuedAddition> pendingAdditions = new ConcurrentLinkedQueue<>();
    private volatile MailboxSnapshot current;
    /** {@link #currentStatus()}'s figures of the snapshot they name (their version). */
    private volatile MailboxStatus lastStatus;
    private volatile long lastRefresh;
    /** The storage's change token that {@link #current} reflects; null when a scan is due. */
    private volatile ChangeToken synced;
    private volatile long scans;
    private volatile long changeReads;
    /** Whether the next refresh must scan the whole mailbox, not read the changes since the table's HIGHESTMODSEQ. */
    private volatile boolean scanDue;
    private long recentBoundary;
    /** Bounds the descriptors of every open mailbox: this one's files count from their first use. */
    private final DescriptorBudget descriptors;
    /** When this mailbox last used its files (System.nanoTime): the least recently used let theirs go first. */
    private volatile long lastFileUse;
    private final boolean fsync;
    /** The highest MODSEQ given to a private flag change (after a restart: above every one given before). */
    private volatile long privateModseq;
    /** The private flags of the users who opened this mailbox from another's namespace, by file. */
    private final Map<Path, PrivateFlags> privates = new ConcurrentHashMap<>();

    MailboxState(String user, String name, MailboxStore store, boolean useIndex, boolean fsync) throws IOException {
        this(user, name, store, useIndex, fsync, new Semaphore(IndexOptions.DEFAULT_MAX_HELD_EXPUNGED),
                new FileLookups(IndexOptions.DEFAULT_FILE_LOOKUP_THREADS), KeyRanker.RUN_BYTES,
                IndexOptions.DEFAULT_MAX_EXPUNGED_RANGES,
                Quotas.unlimited(), new DescriptorBudget(Integer.MAX_VALUE));
    }

    /**
     * {@code heldBudget}: how many expunged messages may be held readable; {@code lookups}: the threads
     * that look at message files; both shared by every mailbox. {@code sortRunBytes}: the sort keys a first
     * SORT or THREAD holds in one run in memory ({@link KeyRanker}). {@code maxExpungedRanges}: how many
     * ranges of expunged UIDs the {@link ModseqHistory} keeps; {@code quotas}: the accounting every
     * addition and removal goes through; {@code descriptors}: the bound on the files every open mailbox keeps open.
     */
    MailboxState(String user, String name, MailboxStore store, boolean useIndex, boolean fsync, Semaphore heldBudget,
            FileLookups lookups, int sortRunBytes, int maxExpungedRanges, Quotas quotas, DescriptorBudget descriptors)
            throws IOException {
        this.user = user;
        this.descriptors = descriptors;
        this.fsync = fsync;
        this.quotas = quotas;
        this.name = name;
        this.store = store;
        this.storeModseqs = store.allocatesModseqs();
        var directory = useIndex ? store.indexDirectory() : null;
        this.index = directory == null ? null : new MailboxIndex(directory, fsync, user + "/" + name);
        this.structures = new StructureCache(2048,
                directory == null ? null : new StructureCacheFile(directory, user + "/" + name), store);
        this.facts = new FactFinder(this::stat, this::open, lookups);
        this.sortRankings = new SortRankings(lookups, sortRunBytes,
                directory == null ? null : new SortRankingsFile(directory));
        this.threadKeys = new KeptThreadKeys(lookups, sortRunBytes, directory);
        this.expunged = new ExpungedHolds(this, heldBudget);
        this.recentBoundary = store.nextUid();
        var token = store.changeToken();
        var loaded = index == null ? null : index.load(store.uidValidity());
        this.history = directory == null || storeModseqs ? null : openHistory(directory, fsync, maxExpungedRanges,
                loaded == null ? 0 : loaded.highestModseq());
        this.privateModseq = history == null ? 0 : history.privateFloor();
        MailboxStore.Summary summary;
        if (loaded != null) {
            current = opened(loaded);
            // Messages below the UIDNEXT the index recorded were seen before: not \Recent (RFC 3501
            // §2.3.2), even when the storage's UID list header lags behind its records.
            recentBoundary = Math.max(recentBoundary, loaded.uidNext());
            synced = loaded.token() != null && loaded.token().settled() && modseqsOfStore(loaded) ? loaded.token() : null;
            // MODSEQs the storage may not have given are not a base to read changes since from: scan once.
            scanDue = synced == null;
            if (!unchangedSince(token)) {
                rescan(token);
            }
        } else if (storeModseqs && (summary = store.summary()) != null) {
            current = openedFromSummary(summary);
            synced = summary.token();
            lastRefresh = System.nanoTime();
        } else {
            // An index rebuilt from the mail starts above every MODSEQ handed out before (RFC 7162 §3.1).
            long before = history == null ? 0 : history.ceiling();
            current = new MailboxSnapshot(1, store.uidValidity(), store.nextUid(), before,
                    MessageTable.empty(freshKeys, new KeywordNames()));
            build(token);
            if (before > 0) {
                historyWrite(h -> h.rebuiltAt(current.highestModseq()));
            }
        }
        structures.preload(current);
        usingFiles();
    }

    /**
     * The first snapshot of a mailbox this server holds no index of, where the storage keeps its summary (a database
     * that replicas share): SELECT is answered from the summary, without a read of the messages, and the rows are
     * read when something first needs a message, as of the summary's instant, and answered from as they stream in
     * ({@link StreamedRows}).
     */
    private MailboxSnapshot openedFromSummary(MailboxStore.Summary summary) {
        var names = new KeywordNames();
        var numbers = new TableSummary(summary.count(), summary.lastUid(), summary.firstUnseenRow(), summary.unseen(),
                names.mask(summary.keywords()), summary.totalVirtualSize(), 0);
        var rows = new StreamedRows(store, summary, freshKeys, names, () -> {
            usingFiles();
            scans++;
        });
        var snapshot = new MailboxSnapshot(1, summary.uidValidity(), summary.uidNext(), summary.highestModseq(),
                rows, numbers, names);
        snapshot.onRecordsRead(this::writeIndexSoon);
        return snapshot;
    }

    /**
     * Writes the index files of a mailbox opened from its storage's summary once its rows are read, so that the next
     * start opens from them; after the command that read them, not during it (a million records take a second to
     * write). A change published before then writes them itself (a commit without index files writes them whole).
     */
    private void writeIndexSoon() {
        Thread.ofVirtual().name("index-write").start(() -> {
            lock.lock();
            try {
                usingFiles();
                indexWrite(i -> i.rewrite(current, synced));
            } finally {
                lock.unlock();
            }
        });
    }

    /**
     * Whether the index files' MODSEQs may be the storage's: always where this state allocates them; where the
     * storage does, only when the index's HIGHESTMODSEQ is the storage's (index files written before the storage
     * allocated them, or by a server that did not know it does, are read afresh from the storage).
     */
    private boolean modseqsOfStore(MailboxIndex.Loaded loaded) {
        return !storeModseqs || loaded.highestModseq() == store.highestModseq();
    }

    /**
     * The first snapshot from the index files: SELECT is answered from the summary of the header
     * or of the log's last commit, and the records are read when something first needs a message
     * (by that caller), so a mailbox of a million messages opens in milliseconds. Reading them in
     * the background instead would compete with SELECT for the disk and the carrier threads.
     */
    private MailboxSnapshot opened(MailboxIndex.Loaded loaded) {
        long uidNext = Math.max(loaded.uidNext(), store.nextUid());
        return new MailboxSnapshot(1, store.uidValidity(), uidNext, loaded.highestModseq(), () -> tableOf(loaded),
                loaded.summary(), loaded.file().names());
    }

    /**
     * The table of the index files; when their records turn out damaged, the table of the mail
     * (UIDs from the storage's UID list, keyword bits as the index named them), written back as a
     * new index. Runs (in the first caller that needs a message) before anything else may use the
     * table, so it needs no lock.
     */
    private MessageTable tableOf(MailboxIndex.Loaded loaded) throws IOException {
        usingFiles();
        try {
            return loaded.table();
        } catch (IndexFile.DamagedException | RuntimeException e) {
            index.damaged(e);
        }
        var token = store.changeToken();
        scans++;
        var rows = new TableBuild(MessageTable.empty(freshKeys, loaded.file().names()), loaded.highestModseq(),
                storeModseqs);
        store.scan(rows);
        var table = rows.table();
        synced = tokenAfterScan(token);
        var snapshot = new MailboxSnapshot(1, store.uidValidity(), Math.max(loaded.uidNext(), store.nextUid()),
                storeModseqs ? store.highestModseq() : loaded.highestModseq(), table);
        indexWrite(i -> i.rewrite(snapshot, synced));
        return table;
    }

    private ModseqHistory openHistory(Path directory, boolean fsync, int maxRanges, long highestModseq) {
        try {
            return ModseqHistory.open(directory, fsync, maxRanges, store.uidValidity(), highestModseq);
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}/{1}: cannot keep MODSEQs ({2}); going on without index files",
                    user, name, e.getMessage());
            return null;
        }
    }

    /**
     * Index files that cannot be written (a read-only or full file system) cost speed, never
     * service: the state carries on in memory, and the mail stays the truth.
     */
    private void indexWrite(Write<MailboxIndex> write) {
        guarded(index, write);
    }

    /** The same for the MODSEQ history, which the index needs beside it: without it, neither is kept. */
    private void historyWrite(Write<ModseqHistory> write) {
        guarded(history, write);
    }

    private <T> void guarded(T target, Write<T> write) {
        if (target == null) {
            return;
        }
        try {
            write.run(target);
        } catch (IOException | RuntimeException e) {
            withoutIndex(e);
        }
    }

    private void withoutIndex(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}/{1}: cannot write the index ({2}); going on without it",
                user, name, e.getMessage());
        if (index != null) {
            index.close();
            index = null;
        }
        if (history != null) {
            try {
                history.close();
            } catch (IOException ignored) {
                // nothing pending: each write was complete when it returned
            }
            history = null;
        }
    }

    private interface Write<T> {
        void run(T target) throws IOException;
    }

    /**
     * Whether this mailbox keeps MODSEQs across restarts (RFC 7162 §3.1.2.2: otherwise SELECT says
     * NOMODSEQ): the storage allocates them, or its index files and history are being written.
     */
    public boolean keepsModseqs() {
        if (storeModseqs) {
            return true;
        }
        lock.lock();
        try {
            return index != null && history != null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The UIDs expunged after {@code modseq} as far as this mailbox remembers them; null when it
     * does not remember that far back (or keeps no MODSEQs), so that every UID it lacks may have gone.
     */
    public UidSet expungedAfter(long modseq) throws IOException {
        if (storeModseqs) {
            return store.expungedAfter(modseq);
        }
        lock.lock();
        try {
            return history == null ? null : history.expungedAfter(modseq);
        } finally {
            lock.unlock();
        }
    }

    public String user() {
        return user;
    }

    public String name() {
        return name;
    }

    public MailboxSnapshot current() {
        return current;
    }

    /** The figures of {@code snapshot} (one of this mailbox's), with RECENT as it is now. */
    MailboxStatus statusOf(MailboxSnapshot snapshot) {
        return new MailboxStatus(snapshot.count(), unclaimedRecent(), snapshot.uidNext(), snapshot.uidValidity(),
                snapshot.unseenCount(), snapshot.totalVirtualSize(), snapshot.version(),
                keepsModseqs() ? snapshot.highestModseq() : 0);
    }

    /**
     * The figures of the current snapshot, made once per snapshot for every caller: one change told to
     * many sessions (NOTIFY's STATUS) costs one count, not one per session under this mailbox's lock.
     * RECENT is as it was when they were made.
     */
    MailboxStatus currentStatus() {
        var snapshot = current;
        var known = lastStatus;
        if (known != null && known.version() == snapshot.version()) {
            return known;
        }
        var made = statusOf(snapshot);
        lastStatus = made;
        return made;
    }

    /** Picks up changes made outside this server (an MTA, another program); cheap when called often. */
    public MailboxSnapshot refresh(boolean force) throws IOException {
        if (!force && synced == null && System.nanoTime() - lastRefresh < REFRESH_INTERVAL_NANOS) {
            return current;
        }
        lock.lock();
        try {
            var token = store.changeToken();
            if (!unchangedSince(token)) {
                usingFiles();
                rescan(token);
            }
            lastRefresh = System.nanoTime();
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Scans done since this state was opened (for tests and metrics). */
    public long scans() {
        return scans;
    }

    /** Reads of only the messages changed since a MODSEQ, instead of a scan, since this state was opened (see {@link #readChanges}). */
    public long changeReads() {
        return changeReads;
    }

    /**
     * Heap bytes held by the current table (its arrays and heap-held keys), the expunged UID ranges, the sort
     * rankings and thread keys, and the parsed structures on the heap (up to 2,048, some 5 MB).
     */
    public long heapBytes() {
        var h = history;
        long own = privates.values().stream().mapToLong(PrivateFlags::heapBytes).sum();
        return current.heapBytes() + (h == null ? 0 : h.heapBytes()) + sortRankings.heapBytes() + threadKeys.heapBytes()
                + structures.heapBytes() + own;
    }

    /**
     * Throws the index away and builds it again from a full scan of the mail (the operator's
     * {@code roost index}); UIDs come from the storage's own UID list, so they stay.
     */
    public void reindex() throws IOException {
        lock.lock();
        try {
            usingFiles();
            var token = store.changeToken();
            var before = current;
            // Same key arena and keyword bits: sessions' tables stay comparable with the new ones.
            current = new MailboxSnapshot(before.version(), store.uidValidity(), store.nextUid(),
                    before.highestModseq(), MessageTable.empty(before.table().keys(), before.table().keywordNames()));
            synced = null;
            scanDue = true;
            indexWrite(MailboxIndex::delete);
            structures.clear();
            sortRankings.clear();
            threadKeys.clear();
            rescan(token);
            indexWrite(i -> i.rewrite(current, synced));
        } finally {
            lock.unlock();
        }
    }

    private boolean unchangedSince(ChangeToken token) {
        return token != null && synced != null && synced.settled() && token.sameStamps(synced);
    }

    /**
     * The first open of a mailbox without an index: the table is made straight from the scan and
     * the index file written once, with no log records (a million appends through the log and the
     * table's change path cost minutes and gigabytes). Stands for the same state a {@link #rescan}
     * of the empty table would publish.
     */
    private void build(ChangeToken token) throws IOException {
        scans++;
        var before = current;
        var rows = new TableBuild(before.table(), nextModseq(), storeModseqs);
        store.scan(rows);
        var table = rows.table();
        synced = tokenAfterScan(token);
        long highest = storeModseqs ? store.highestModseq()
                : table.count() == 0 ? before.highestModseq() : rows.modseq;
        current = new MailboxSnapshot(before.version() + 1, store.uidValidity(),
                Math.max(before.uidNext(), store.nextUid()), highest, table);
        lastRefresh = System.nanoTime();
        if (index != null) {
            rebuildIndex();
        }
    }

    /**
     * Makes the rows of a table from a streamed scan, in the scan's (ascending UID) order: with the MODSEQ the storage
     * gives each where it {@code fromStore allocates them}, else with {@code modseq}.
     */
    private static final class TableBuild implements MailboxStore.ScanConsumer {
        private final KeyArena keys;
        private final KeywordNames names;
        private final long modseq;
        private final boolean fromStore;
        private MessageTable.Builder builder;

        TableBuild(MessageTable empty, long modseq, boolean fromStore) {
            this.keys = empty.keys();
            this.names = empty.keywordNames();
            this.modseq = modseq;
            this.fromStore = fromStore;
        }

        @Override
        public void expect(int messages) {
            builder = MessageTable.builder(keys, names, messages);
        }

        @Override
        public void accept(StoredMessage m) {
            accept(m, modseq);
        }

        /** A message with the MODSEQ the storage gave it. */
        @Override
        public void accept(StoredMessage m, long given) {
            builder.add(m.uid(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()), given,
                    m.internalDate().getEpochSecond(), m.physicalSize(), m.virtualSize(), keys.add(m.key()));
        }

        @Override
        public void accept(MailboxStore.ScanRow m) {
            builder.add(m.uid(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()),
                    fromStore ? m.modseq() : modseq, m.internalDateSeconds(), m.physicalSize(), m.virtualSize(),
                    keys.add(m));
        }

        MessageTable table() {
            return builder == null ? MessageTable.empty(keys, names) : builder.build();
        }
    }

    /**
     * Lists the mail and folds the differences into the state (and the log); where the storage allocates the MODSEQs,
     * reads only what changed since the state's HIGHESTMODSEQ, when it can tell ({@link #readChanges}).
     */
    private void rescan(ChangeToken token) throws IOException {
        if (storeModseqs && !scanDue && readChanges(token)) {
            return;
        }
        scanDue = false;
        scans++;
        var before = current;
        long modseq = nextModseq();
        var diff = new Diff(before.table(), modseq, storeModseqs);
        store.scan(diff);
        var changes = diff.changes();
        synced = tokenAfterScan(token);
        boolean modseqMoved = storeModseqs && store.highestModseq() != before.highestModseq();
        if (!changes.isEmpty() || modseqMoved || before.uidNext() != store.nextUid()
                || before.uidValidity() != store.uidValidity()) {
            publish(changes, storeModseqs ? store.highestModseq() : changes.isEmpty() ? before.highestModseq() : modseq,
                    token);
        } else {
            indexWrite(i -> i.commit(List.of(), current, token));
        }
    }

    /**
     * Reads the messages whose MODSEQ moved past the state's and the UIDs expunged since (a change another server
     * made, as its notice or a change token tells), and publishes them as a rescan would: expunges, then flag changes,
     * then new messages, at the storage's HIGHESTMODSEQ. False, having changed nothing, where the storage cannot tell
     * every change since (its expunge record was trimmed past it) or the mailbox was made anew: then a full scan must.
     */
    private boolean readChanges(ChangeToken token) throws IOException {
        var before = current;
        var changed = new Changed(before.table());
        var expunged = store.changesSince(before.highestModseq(), changed);
        if (expunged == null || store.uidValidity() != before.uidValidity()) {
            return false;
        }
        changeReads++;
        var changes = changed.changes(expunged);
        synced = tokenAfterScan(token);
        if (!changes.isEmpty() || store.highestModseq() != before.highestModseq() || before.uidNext() != store.nextUid()) {
            publish(changes, store.highestModseq(), token);
        }
        return true;
    }

    /**
     * The changes to a table that a read of the messages changed since one MODSEQ tells (see
     * {@link MailboxStore#changesSince}): a flag change of each message the table holds, an append of each other.
     */
    private static final class Changed implements MailboxStore.ScanConsumer {
        private final MessageTable table;
        private final KeywordNames names;
        private final List<Change> flags = new ArrayList<>();
        private final List<Change> appends = new ArrayList<>();

        Changed(MessageTable table) {
            this.table = table;
            this.names = table.keywordNames();
        }

        @Override
        public void expect(int messages) {
            // the changes are few; nothing to size
        }

        @Override
        public void accept(StoredMessage m) {
            throw new IllegalStateException("a read of changes hands each message over with its MODSEQ");
        }

        @Override
        public void accept(StoredMessage m, long given) {
            int bits = MessageTable.flagBits(m.flags());
            long mask = names.mask(m.keywords());
            if (table.indexOf(m.uid()) >= 0) {
                flags.add(new Change.Flags(m.uid(), bits, mask, given));
            } else {
                appends.add(append(m, bits, mask, given));
            }
        }

        @Override
        public void accept(MailboxStore.ScanRow m) {
            if (table.indexOf(m.uid()) >= 0) {
                flags.add(new Change.Flags(m.uid(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()),
                        m.modseq()));
            } else {
                accept(m.toMessage(), m.modseq());
            }
        }

        /** Expunges of the table's messages among {@code expunged} (by its ranges), then the flag changes and appends. */
        List<Change> changes(UidSet expunged) {
            var all = new ArrayList<Change>();
            for (int r = 0; r < expunged.ranges(); r++) {
                int i = table.indexOf(expunged.low(r));
                for (i = i >= 0 ? i : -i - 1; i < table.count() && table.uid(i) <= expunged.high(r); i++) {
                    all.add(new Change.Expunge(table.uid(i)));
                }
            }
            all.addAll(flags);
            all.addAll(appends);
            return all;
        }
    }

    /**
     * The token the scanned state stands for. Read before the scan, so that a change made during
     * the scan shows next time; but a scan that only wrote the storage's bookkeeping (UIDs given,
     * sizes noted) would then rescan at the next refresh for its own write, which for a large
     * mailbox is a second full listing. So when the message directories kept their stamps, the
     * token after the scan is taken instead.
     */
    private ChangeToken tokenAfterScan(ChangeToken before) throws IOException {
        if (before == null) {
            return null;
        }
        var after = store.changeToken();
        boolean onlyBookkeeping = after != null && after.deliveries() == before.deliveries()
                && after.contents() == before.contents();
        return onlyBookkeeping ? after : before;
    }

    /**
     * The changes from a table to a streamed scan: expunges, then flag changes, then appends. Only
     * the differences are held, so an unchanged mailbox costs no object per message. Where the storage
     * gives the MODSEQs ({@code byModseq}), a message whose MODSEQ moved changed even when its flags are
     * as before (set and cleared again through another server), and each change has the storage's MODSEQ.
     */
    private static final class Diff implements MailboxStore.ScanConsumer {
        private final MessageTable table;
        private final KeywordNames names;
        private final long modseq;
        private final boolean byModseq;
        private final List<Change> expunges = new ArrayList<>();
        private final List<Change> flags = new ArrayList<>();
        private final List<Change> appends = new ArrayList<>();
        private int i;

        Diff(MessageTable table, long modseq, boolean byModseq) {
            this.table = table;
            this.names = table.keywordNames();
            this.modseq = modseq;
            this.byModseq = byModseq;
        }

        @Override
        public void expect(int messages) {
            // the differences are few; nothing to size
        }

        @Override
        public void accept(StoredMessage m) {
            accept(m, modseq);
        }

        @Override
        public void accept(StoredMessage m, long given) {
            if (!known(m.uid(), m.flags(), m.keywords(), given)) {
                appends.add(append(m, MessageTable.flagBits(m.flags()), names.mask(m.keywords()), given));
            }
        }

        /** As {@link #accept(StoredMessage)}, making a message only of one new to the table. */
        @Override
        public void accept(MailboxStore.ScanRow m) {
            long given = byModseq ? m.modseq() : modseq;
            if (!known(m.uid(), m.flags(), m.keywords(), given)) {
                appends.add(append(m.toMessage(), MessageTable.flagBits(m.flags()), names.mask(m.keywords()), given));
            }
        }

        /** Notes the expunges before {@code uid} and a flag change of it; false when the table lacks it. */
        private boolean known(long uid, Set<SystemFlag> systemFlags, Set<String> keywords, long given) {
            while (i < table.count() && table.uid(i) < uid) {
                expunges.add(new Change.Expunge(table.uid(i++)));
            }
            if (i < table.count() && table.uid(i) == uid) {
                int bits = MessageTable.flagBits(systemFlags);
                long mask = names.mask(keywords);
                if (table.flags(i) != bits || table.keywords(i) != mask || byModseq && table.modseq(i) != given) {
                    flags.add(new Change.Flags(uid, bits, mask, given));
                }
                i++;
                return true;
            }
            return false;
        }

        List<Change> changes() {
            while (i < table.count()) {
                expunges.add(new Change.Expunge(table.uid(i++)));
            }
            var all = new ArrayList<Change>(expunges);
            all.addAll(flags);
            all.addAll(appends);
            return all;
        }
    }

    private static Change.Append append(StoredMessage m, int bits, long mask, long modseq) {
        return new Change.Append(m.uid(), bits, mask, modseq, m.internalDate().getEpochSecond(), m.physicalSize(),
                m.virtualSize(), m.key());
    }

    private void rebuildIndex() {
        indexWrite(i -> i.rewrite(current, synced));
        if (index == null) {
            return;
        }
        // Reading back maps the keys from the file instead of holding them on the heap.
        var loaded = index.load(current.uidValidity());
        try {
            var table = loaded == null ? null : loaded.table();
            if (table != null && table.count() == current.count()) {
                current = new MailboxSnapshot(current.version(), current.uidValidity(), current.uidNext(),
                        current.highestModseq(), table);
            }
        } catch (IndexFile.DamagedException e) {
            index.damaged(e); // what was just written does not read back: keep the keys on the heap
        }
    }

    /**
     * The message as clients see it: bare LF line ends turned into CRLF. A message expunged while a
     * session still shows it is read from its hold ({@link ExpungedHolds}).
     */
    public InputStream open(StoredMessage message) throws IOException {
        return new CrlfInputStream(fromFileOrHold(message, store::open, HeldMessage::open));
    }

    /** {@link #open} for a reader of the header alone, who stops at its empty line ({@link MailboxStore#openHeader}). */
    private InputStream openHeader(StoredMessage message) throws IOException {
        return new CrlfInputStream(fromFileOrHold(message, store::openHeader, HeldMessage::open));
    }

    /** The message with what its file tells ({@link MailboxStore#stat}), from its hold when expunged meanwhile. */
    private StoredMessage stat(StoredMessage message) throws IOException {
        return fromFileOrHold(message, store::stat, held -> message.withFacts(held.stated()));
    }

    private <T> T fromFileOrHold(StoredMessage message, FactFinder.FileAccess<T> fromFile, HeldAccess<T> fromHold)
            throws IOException {
        var held = expunged.of(message);
        if (held != null) {
            return fromHold.apply(held);
        }
        usingFiles(); // an mbox reads the one file it keeps open
        try {
            return fromFile.apply(message);
        } catch (MessageNotFoundException | NoSuchFileException gone) {
            held = expunged.of(message); // held and removed while this was reaching it
            if (held == null) {
                throw gone;
            }
            return fromHold.apply(held);
        }
    }

    private interface HeldAccess<T> {
        T apply(HeldMessage held) throws IOException;
    }

    /** The POP3 UIDLs the storage carries from an earlier server, by message key (see {@link MailboxStore#pop3Uidls()}). */
    public Map<String, String> pop3Uidls() throws IOException {
        usingFiles();
        return store.pop3Uidls();
    }

    /** The mailbox's GUID, kept with it through a RENAME, or null when the storage keeps none (see {@link MailboxStore#guid()}). */
    public String guid() throws IOException {
        usingFiles();
        return store.guid();
    }

    /** The GUIDs of the messages whose GUID is not their key, by key (see {@link MailboxStore#messageGuids()}). */
    public Map<String, String> messageGuids() throws IOException {
        usingFiles();
        return store.messageGuids();
    }

    /** When the message was saved here, or null when the storage does not keep it (see {@link MailboxStore#saveDate}). */
    public Instant saveDate(StoredMessage message) throws IOException {
        return store.saveDate(message);
    }

    /**
     * Makes every virtual size of {@code snapshot} known (STATUS SIZE, POP3's maildrop, the admin API):
     * looks at the messages whose storage did not state one, once for all sessions (see {@link FactFinder}).
     * Afterwards each is known, except for messages whose file vanished meanwhile (expunged by another
     * program), which stay {@link StoredMessage#UNKNOWN_SIZE}.
     */
    public void measureSizes(MailboxSnapshot snapshot, Cancellation cancellation) throws IOException {
        if (snapshot.pendingSizes() == 0) {
            return; // answered by the summary, without reading the records of a mailbox just opened
        }
        var table = snapshot.table();
        var sizes = Set.of(Fact.VIRTUAL_SIZE);
        var rows = IntStream.range(0, table.count()).filter(i -> Fact.missing(sizes, table, i)).toArray();
        facts.find(table, rows, sizes, cancellation, this::keepFound);
        snapshot.summaryStale(); // (also when another session found them: its summary may be older)
    }

    /** Looks up {@code needed} for rows of a view's {@code table}, which need not be the current one. */
    void learn(MessageTable table, int[] rows, Set<Fact> needed, Cancellation cancellation) throws IOException {
        facts.find(table, rows, needed, cancellation, this::keepFound);
    }

    /**
     * Fills the facts found into {@code table} and into the current table (where the message still is),
     * and records in the log those the current table did not know, so that each is looked up once.
     * Shows no change to sessions: a message's date or size is a fact found, not a change. The log
     * record is not made durable on its own (the facts can be found again; a later durable commit
     * covers it, and a torn one ends the replay).
     */
    private void keepFound(MessageTable table, int[] rows, StoredMessage[] found) throws IOException {
        lock.lock();
        try {
            usingFiles();
            var now = current;
            var latest = now.table();
            var before = now.summary();
            var logged = new ArrayList<Change>();
            int sized = 0;
            long bytes = 0;
            for (int k = 0; k < rows.length; k++) {
                var f = found[k];
                if (f == null) {
                    continue; // its file is gone: the next refresh finds it expunged
                }
                long uid = table.uid(rows[k]);
                long date = f.internalDate().getEpochSecond();
                int i = latest.indexOf(uid);
                boolean sizeNew = i >= 0 && latest.virtualSize(i) == StoredMessage.UNKNOWN_SIZE && f.virtualSizeKnown();
                if (i >= 0 && latest.fill(i, date, f.physicalSize(), f.virtualSize())) {
                    logged.add(new Change.Facts(uid, date, f.physicalSize(), f.virtualSize()));
                }
                if (sizeNew) {
                    sized++;
                    bytes += latest.virtualSize(i);
                }
                table.fill(rows[k], date, f.physicalSize(), f.virtualSize());
            }
            if (sized > 0) {
                now.sizesFound(before, sized, bytes);
            }
            if (!logged.isEmpty()) {
                indexWrite(i -> i.commitFound(logged, now, synced));
            }
        } finally {
            lock.unlock();
        }
    }

    /** The parsed MIME structure of a message, computed once and shared (and kept in the cache file). */
    public MessageStructure structure(StoredMessage message) throws IOException {
        usingFiles();
        var snapshot = current;
        var cached = structures.get(message, snapshot);
        if (cached != null && cached.complete()) {
            return cached;
        }
        try (var in = open(message)) {
            var parsed = MessageStructure.parse(in);
            if (cached == null) {
                structures.put(message, parsed, snapshot);
            } else {
                structures.replace(message, parsed, snapshot);
            }
            return parsed;
        }
    }

    /**
     * The message's structure as far as its ENVELOPE needs it: the cached one, else one made from its header
     * alone (read up to its blank line, within the parser's header cap: never the body), kept like a parsed
     * one, so that the newest envelopes a client lists cost a header each, once.
     */
    public MessageStructure envelopeStructure(StoredMessage message) throws IOException {
        usingFiles();
        var snapshot = current;
        var cached = structures.get(message, snapshot);
        if (cached != null) {
            return cached;
        }
        MessageStructure read;
        try (var in = openHeader(message)) {
            read = MessageStructure.ofHeader(MessageHeader.read(in));
        }
        structures.put(message, read, snapshot);
        return read;
    }

    /**
     * The message's header, for sorting and threading: from its cached structure, else read alone from the
     * file (a bounded prefix, no MIME parse; nothing is cached, so a first SORT of a million messages
     * never parsed costs the reads of their headers and no more).
     */
    public MessageHeader header(StoredMessage message) throws IOException {
        usingFiles();
        var cached = structures.get(message, current);
        if (cached != null) {
            return MessageHeader.of(cached);
        }
        try (var in = openHeader(message)) {
            return MessageHeader.read(in);
        }
    }

    /**
     * The decoded size of a BINARY section of a message (RFC 3516), from {@code measure} the first time,
     * then kept for every session (see {@link DecodedSizes}).
     */
    public DecodedSize decodedSize(StoredMessage message, int[] part, DecodedSizes.Measure measure) throws IOException {
        return decodedSizes.get(current.uidValidity(), message.uid(), part, measure);
    }

    /** A section of the message with its transfer encoding undone (RFC 3516 BINARY), from its own stream of the file. */
    public InputStream decoded(StoredMessage message, BinarySection section, int bufferSize) throws IOException {
        var in = open(message);
        try {
            in.skipNBytes(section.slice().offset());
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return section.decode(in, bufferSize);
    }

    /**
     * The message's preview (RFC 8970), made once from its text and kept with its structure in the cache file;
     * with {@code lazy}, null unless it was made before (§4.1: without undue delay).
     */
    public String preview(StoredMessage message, int maxChars, boolean lazy) throws IOException {
        usingFiles();
        var snapshot = current;
        var cached = structures.get(message, snapshot);
        if (cached != null && cached.preview() != null || lazy) {
            return cached == null ? null : cached.preview();
        }
        var structure = cached != null && cached.complete() ? cached : structure(message);
        String made;
        try (var in = open(message)) {
            made = PreviewText.of(structure, in, maxChars);
        }
        structures.replace(message, structure.withPreview(made), snapshot);
        return made;
    }

    /** {@code view}'s messages ranked by internal date, kept for later SORTs (see {@link SortRankings}). */
    SortRanking arrivalRanking(MailboxView view, Cancellation cancellation) throws IOException {
        return sortRankings.arrival(view, cancellation);
    }

    /** The ranking by {@code field} kept for later SORTs, or null when none is (see {@link SortRankings}). */
    SortRanking keptSortRanking(SortField field) {
        return sortRankings.kept(field);
    }

    /** The ranking of every message of {@code view} by {@code field}, kept for later SORTs (see {@link SortRankings}). */
    SortRanking sortRanking(SortField field, MailboxView view, Cancellation cancellation) throws IOException {
        return sortRankings.ranking(field, view, cancellation);
    }

    /** The thread keys of the messages {@code found} of {@code view}, from the keys kept for every message (see {@link KeptThreadKeys}). */
    ThreadKeys threadKeys(MailboxView view, int[] found, int maxReferences, Cancellation cancellation)
            throws IOException {
        return threadKeys.select(view, found, maxReferences, cancellation);
    }

    /** Reads the records, which starts the read-ahead of the structure cache file, and waits for it (for tests). */
    void awaitStructurePreload() throws InterruptedException {
        current.table(); // the preload starts once the records are read
        structures.awaitPreload();
    }

    /**
     * Stores a new message and shows it to every session. The bytes are written (and fsynced) without any
     * lock of the mailbox; appends that meet at its lock are committed together (see {@link #commitQueued}).
     *
     * @throws org.roost.mail.OverQuotaException when it does not fit in the user's quota
     */
    public StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords, Instant date)
            throws IOException {
        try (var ticket = quotas.ticket(user)) {
            return append(data, flags, keywords, date, ticket);
        }
    }

    /** Like {@link #append(InputStream, Set, Set, Instant)} for the server's own notices: counted, never refused. */
    public StoredMessage appendNotice(InputStream data, Instant date) throws IOException {
        try (var ticket = quotas.exemptTicket(user)) {
            return append(data, Set.of(), Set.of(), date, ticket);
        }
    }

    /**
     * Adds a copy of {@code message} of {@code source} (a hard link where the storage allows) as a new message
     * here, flags and internal date kept: one delivery's file shared by its recipients.
     *
     * @throws org.roost.mail.OverQuotaException when it does not fit in this mailbox's user's quota
     * @throws MessageNotFoundException when the message is gone from {@code source}
     */
    public StoredMessage appendCopy(MailboxState source, StoredMessage message) throws IOException {
        try (var ticket = quotas.ticket(user)) {
            var prepared = store.prepareCopy(source.store, message);
            try {
                return commitInTurn(new PreparedMessage.Addition(prepared, message.flags(), message.keywords()),
                        ticket);
            } finally {
                store.discard(prepared);
            }
        }
    }

    /** A message for {@link #appendAll}: where its bytes come from, its flags and its internal date. */
    public record NewMessage(MessageSource source, Set<SystemFlag> flags, Set<String> keywords, Instant date) {}

    /** Opens a new message's bytes (from the client's spooled literal, or put together from several parts). */
    @FunctionalInterface
    public interface MessageSource {
        InputStream open() throws IOException;
    }

    /**
     * Stores several messages as one change, all or none (RFC 3502 §6.3.11), even across a crash: their bytes are
     * written first, the quota admits them together, then one commit makes them visible, with ascending UIDs in
     * the order given.
     *
     * @throws org.roost.mail.OverQuotaException when they do not fit in the user's quota together
     */
    public List<StoredMessage> appendAll(List<NewMessage> messages) throws IOException {
        return appendReplacing(messages, List.of());
    }

    /**
     * {@link #appendAll} for REPLACE (RFC 8508 §3.4): the quota judges the new messages net of {@code replaced}
     * (this user's, with their sizes known), which the caller expunges next.
     */
    public List<StoredMessage> appendReplacing(List<NewMessage> messages, List<StoredMessage> replaced)
            throws IOException {
        return appendReplacing(messages, replaced, PrivateFlags.NONE);
    }

    /**
     * As {@link #appendReplacing(List, List)} by a user with {@code privateFlags} here: the flags of its mask are
     * that user's own on the new messages, the mail gets the others (as Dovecot saves them).
     */
    public List<StoredMessage> appendReplacing(List<NewMessage> messages, List<StoredMessage> replaced,
            PrivateFlags privateFlags) throws IOException {
        long freed = replaced.stream().mapToLong(StoredMessage::physicalSize).sum();
        var additions = new ArrayList<PreparedMessage.Addition>(messages.size());
        try (var ticket = quotas.ticket(user)) {
            long bytes = 0;
            for (var message : messages) {
                PreparedMessage prepared;
                try (var in = message.source().open()) {
                    prepared = store.prepare(in, message.date());
                }
                var shared = EnumSet.noneOf(SystemFlag.class);
                message.flags().stream().filter(f -> (privateFlags.mask() & 1 << f.ordinal()) == 0).forEach(shared::add);
                additions.add(new PreparedMessage.Addition(prepared, shared, message.keywords()));
                bytes += prepared.size();
            }
            ticket.admitReplacing(bytes, messages.size(), freed, replaced.size());
            List<StoredMessage> stored;
            lock.lock();
            try {
                usingFiles();
                boolean wasInStep = inStep();
                stored = store.commitTogether(additions);
                publishAdded(stored, wasInStep);
                keepPrivately(privateFlags, stored, messages.stream().map(NewMessage::flags).toList());
            } finally {
                lock.unlock();
            }
            ticket.commit();
            return stored;
        } finally {
            additions.forEach(addition -> store.discard(addition.message()));
        }
    }

    /** Under the lock, after a commit of {@code added}: logs them with one new MODSEQ and shows them to every session. */
    private void publishAdded(List<StoredMessage> added, boolean wasInStep) throws IOException {
        long modseq = writtenModseq();
        var names = current.table().keywordNames();
        var logged = new ArrayList<Change>(added.size());
        for (var m : added) {
            logged.add(append(m, MessageTable.flagBits(m.flags()), names.mask(m.keywords()), modseq));
        }
        publishOwn(logged, modseq, wasInStep);
    }

    private StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords, Instant date,
            Quotas.Ticket ticket) throws IOException {
        var prepared = store.prepare(data, date);
        try {
            return commitInTurn(new PreparedMessage.Addition(prepared, flags, keywords), ticket);
        } finally {
            store.discard(prepared);
        }
    }

    /** An addition waiting for a commit; done (stored or failed) once some holder of the lock committed it. */
    private static final class QueuedAddition {
        final PreparedMessage.Addition addition;
        StoredMessage stored;
        Exception failure;
        boolean done;

        QueuedAddition(PreparedMessage.Addition addition) {
            this.addition = addition;
        }

        StoredMessage result() throws IOException {
            if (failure instanceof IOException e) {
                throw e;
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            return stored;
        }
    }

    /**
     * Admits the addition to the quota, then queues it and takes the lock: whoever holds the lock next commits
     * every queued addition, so concurrent deliveries to one mailbox share a directory fsync, a uid list write
     * and an index transaction (a group commit). Durable and visible to every session when it returns.
     */
    private StoredMessage commitInTurn(PreparedMessage.Addition addition, Quotas.Ticket ticket) throws IOException {
        ticket.admit(addition.message().size(), 1);
        var queued = new QueuedAddition(addition);
        pendingAdditions.add(queued);
        lock.lock();
        try {
            usingFiles();
            if (!queued.done) {
                commitQueued();
            }
        } finally {
            lock.unlock();
        }
        var stored = queued.result();
        ticket.commit();
        return stored;
    }

    /** Under the lock: commits every queued addition at once; each is done afterwards, stored or failed. */
    private void commitQueued() {
        var batch = new ArrayList<QueuedAddition>();
        for (var next = pendingAdditions.poll(); next != null; next = pendingAdditions.poll()) {
            batch.add(next);
        }
        try {
            boolean wasInStep = inStep();
            commitBatch(batch);
            var stored = batch.stream().filter(q -> q.stored != null).map(q -> q.stored).toList();
            if (!stored.isEmpty()) {
                publishAdded(stored, wasInStep);
            }
        } catch (IOException | RuntimeException e) {
            batch.stream().filter(q -> q.stored == null && q.failure == null).forEach(q -> q.failure = e);
        } finally {
            batch.forEach(q -> q.done = true);
        }
    }

    /** One commit for all; when it fails, each on its own again, so that one bad addition fails alone. */
    private void commitBatch(List<QueuedAddition> batch) {
        try {
            var stored = store.commit(batch.stream().map(q -> q.addition).toList());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).stored = stored.get(i);
            }
            return;
        } catch (IOException | RuntimeException e) {
            if (batch.size() == 1) {
                batch.getFirst().failure = e;
                return;
            }
        }
        for (var q : batch) {
            try {
                q.stored = store.commit(List.of(q.addition)).getFirst();
            } catch (IOException | RuntimeException e) {
                q.failure = e;
            }
        }
    }

    /**
     * A flag change for one message. ADD and REMOVE are applied to the message as it is when the
     * write happens, not as the caller last saw it, so two sessions changing different flags of the
     * same message never undo each other's change (RFC 3501 §6.4.6: +FLAGS/-FLAGS leave the other
     * flags alone).
     */
    public record FlagChange(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords, FlagMode mode) {
        /** Replaces the message's flags and keywords with exactly these. */
        public FlagChange(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords) {
            this(message, flags, keywords, FlagMode.REPLACE);
        }

        /**
         * RFC 7162 §3.1.12: whether this +FLAGS or -FLAGS may still apply to a message changed since the
         * client's MODSEQ, because none of the flags it names changed from what the client was shown
         * ({@link #message}) to what the message has {@code now}: a change of other flags is no conflict,
         * so no MODIFIED for it. FLAGS (replacing them all) always conflicts.
         */
        boolean unaffectedSince(StoredMessage now) {
            if (mode == FlagMode.REPLACE) {
                return false;
            }
            for (var flag : flags) {
                if (message.flags().contains(flag) != now.flags().contains(flag)) {
                    return false;
                }
            }
            for (var keyword : keywords) {
                if (hasKeyword(message, keyword) != hasKeyword(now, keyword)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean hasKeyword(StoredMessage m, String keyword) {
            return m.keywords().stream().anyMatch(keyword::equalsIgnoreCase);
        }

        Set<SystemFlag> flagsFor(StoredMessage now) {
            var out = EnumSet.noneOf(SystemFlag.class);
            switch (mode) {
                case REPLACE -> out.addAll(flags);
                case ADD -> {
                    out.addAll(now.flags());
                    out.addAll(flags);
                }
                case REMOVE -> {
                    out.addAll(now.flags());
                    out.removeAll(flags);
                }
            }
            return out;
        }

        Set<String> keywordsFor(StoredMessage now) {
            var out = new LinkedHashSet<String>();
            switch (mode) {
                case REPLACE -> out.addAll(keywords);
                case ADD -> {
                    out.addAll(now.keywords());
                    keywords.stream().filter(k -> out.stream().noneMatch(k::equalsIgnoreCase)).forEach(out::add);
                }
                case REMOVE -> {
                    out.addAll(now.keywords());
                    out.removeIf(k -> keywords.stream().anyMatch(k::equalsIgnoreCase));
                }
            }
            return out;
        }
    }

    /** A message as a flag change left it, with its MODSEQ then. */
    public record Updated(StoredMessage message, long modseq) {}

    /**
     * What {@link #setFlags(List, long)} did: the messages as they are now (changed or already as asked),
     * and those left alone because they had changed after the caller's MODSEQ.
     */
    public record FlagResult(List<Updated> updated, List<StoredMessage> modified) {
        public List<StoredMessage> messages() {
            return updated.stream().map(Updated::message).toList();
        }
    }

    /** No condition on a flag change (STORE without UNCHANGEDSINCE). */
    public static final long UNCONDITIONAL = Long.MAX_VALUE;

    /**
     * Applies flag changes, all in one write of the storage; messages expunged meanwhile are skipped.
     * Returns the updated messages.
     */
    public List<StoredMessage> setFlags(List<FlagChange> changes) throws IOException {
        return setFlags(changes, UNCONDITIONAL).messages();
    }

    /**
     * Applies flag changes, all in one write of the storage, to the messages whose MODSEQ is at most
     * {@code unchangedSince} (RFC 7162 §3.1.3, tested and applied under one lock, so no other change
     * slips between), or whose newer change left the flags a +FLAGS or -FLAGS names as the caller saw
     * them (§3.1.12); the others are {@link FlagResult#modified}. Messages expunged meanwhile are
     * skipped. The changed messages get one new MODSEQ; a change that changes nothing keeps the
     * message's MODSEQ (§3.1: "SHOULD NOT").
     */
    public FlagResult setFlags(List<FlagChange> changes, long unchangedSince) throws IOException {
        return setFlags(changes, unchangedSince, PrivateFlags.NONE);
    }

    /**
     * As {@link #setFlags(List, long)} for a user with {@code privateFlags} here: the flags of its mask are that
     * user's own, kept apart from the mail; the changes and their outcome are in the flags the user sees, and
     * both kinds of change get the one new MODSEQ (from the mailbox's sequence, so that no change of either kind
     * the user has not seen can be below a MODSEQ they were shown).
     */
    public FlagResult setFlags(List<FlagChange> changes, long unchangedSince, PrivateFlags privateFlags)
            throws IOException {
        lock.lock();
        try {
            usingFiles();
            var plan = plannedAndStored(changes, unchangedSince, privateFlags);
            boolean wasInStep = plan.wasInStep();
            var rows = plan.rows();
            int mask = privateFlags.mask();
            var outcome = plan.outcome();
            var ownBits = plan.ownBits();
            var stored = plan.stored();
            // Private flags are kept only beside mailbox directories, whose index allocates the MODSEQs.
            long modseq = stored.isEmpty() ? nextModseq() : writtenModseq();
            var logged = new ArrayList<Change>();
            for (var m : stored) {
                int own = ownBits.getOrDefault(m.uid(), rows.bits(m.uid()));
                outcome.put(m.uid(), new Updated(PrivateFlags.seenAs(m, own, mask), modseq));
                logged.add(new Change.Flags(m.uid(), MessageTable.flagBits(m.flags()),
                        plan.table().keywordNames().mask(m.keywords()), modseq));
            }
            if (stored.size() < plan.updates().size()) {
                wasInStep = false; // some were expunged by another process; the next refresh reports it
                var gone = new HashSet<Long>();
                plan.updates().forEach(u -> gone.add(u.message().uid()));
                stored.forEach(m -> gone.remove(m.uid()));
                outcome.keySet().removeAll(gone);
                ownBits.keySet().removeAll(gone);
            }
            if (!ownBits.isEmpty()) {
                setPrivately(privateFlags, ownBits, modseq);
                for (var own : ownBits.entrySet()) {
                    var before = outcome.get(own.getKey()).message();
                    outcome.put(own.getKey(), new Updated(PrivateFlags.seenAs(before, own.getValue(), mask), modseq));
                }
            }
            if (!logged.isEmpty()) {
                publishOwn(logged, modseq, wasInStep);
            } else if (!ownBits.isEmpty()) {
                watchers.forEach(Runnable::run);
            }
            return new FlagResult(new ArrayList<>(outcome.values()), plan.modified());
        } finally {
            lock.unlock();
        }
    }

    /** A flag change as computed from one reading of the mailbox, and what the storage stored of it. */
    private record FlagPlan(boolean wasInStep, MessageTable table, PrivateFlags.Rows rows,
            List<MailboxStore.FlagUpdate> updates, Map<Long, Updated> outcome, List<StoredMessage> modified,
            Map<Long, Integer> ownBits, List<StoredMessage> stored) {
        FlagPlan storing(List<StoredMessage> written) {
            return new FlagPlan(wasInStep, table, rows, updates, outcome, modified, ownBits, written);
        }
    }

    /**
     * Under the lock: computes the flag change from the mailbox as other servers left it and stores it. Where they
     * write too, one of them may change the same messages between that read and the write; the storage then stores
     * nothing ({@link ConcurrentChangeException}) and the change is computed again from a fresh read, up to
     * {@value #FLAG_WRITE_ATTEMPTS} times.
     */
    private FlagPlan plannedAndStored(List<FlagChange> changes, long unchangedSince, PrivateFlags privateFlags)
            throws IOException {
        for (int attempt = 1;; attempt++) {
            catchUpWithOtherServers();
            var plan = planned(changes, unchangedSince, privateFlags);
            try {
                return plan.updates().isEmpty() ? plan
                        : plan.storing(store.setFlags(plan.updates(), current.highestModseq()));
            } catch (ConcurrentChangeException e) {
                if (attempt == FLAG_WRITE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /** Under the lock: the updates, outcome and private bits of a flag change over the current table. */
    private FlagPlan planned(List<FlagChange> changes, long unchangedSince, PrivateFlags privateFlags)
            throws IOException {
        boolean wasInStep = inStep();
        var table = current.table();
        var rows = privateFlags.current();
        int mask = privateFlags.mask();
        var updates = new ArrayList<MailboxStore.FlagUpdate>();
        var outcome = new LinkedHashMap<Long, Updated>();
        var modified = new ArrayList<StoredMessage>();
        var ownBits = new LinkedHashMap<Long, Integer>();
        for (var change : changes) {
            long uid = change.message().uid();
            int i = table.indexOf(uid);
            if (i < 0) {
                continue;
            }
            var shared = table.message(i);
            var now = PrivateFlags.seenAs(shared, rows.bits(uid), mask);
            long nowModseq = Math.max(table.modseq(i), rows.modseq(uid));
            if (nowModseq > unchangedSince && (unchangedSince == 0 || !change.unaffectedSince(now))) {
                modified.add(now);
                continue;
            }
            int wanted = MessageTable.flagBits(change.flagsFor(now));
            var keywords = change.keywordsFor(now);
            outcome.put(uid, new Updated(now, nowModseq));
            int sharedWanted = (wanted & ~mask) | (table.flags(i) & mask);
            if (table.flags(i) != sharedWanted || !shared.keywords().equals(keywords)) {
                updates.add(new MailboxStore.FlagUpdate(shared, MessageTable.flagSet(sharedWanted), keywords));
            }
            if ((wanted & mask) != rows.bits(uid)) {
                ownBits.put(uid, wanted & mask);
            }
        }
        return new FlagPlan(wasInStep, table, rows, updates, outcome, modified, ownBits, List.of());
    }

    /** Under the lock: the private half of a flag change, its MODSEQ reserved durably first. */
    private void setPrivately(PrivateFlags privateFlags, Map<Long, Integer> ownBits, long modseq) throws IOException {
        historyWrite(h -> h.reservePrivate(modseq));
        privateModseq = Math.max(privateModseq, modseq);
        var uids = ownBits.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        var bits = new int[uids.length];
        for (int k = 0; k < uids.length; k++) {
            bits[k] = ownBits.get(uids[k]);
        }
        privateFlags.set(uids, bits, modseq);
        privateFlags.announce();
    }

    /**
     * Under the lock, right after {@code added} were published: the flags of {@code privateFlags}' mask among
     * {@code wanted} (one set per message, in order) become the user's own, at the MODSEQ the messages came with.
     */
    private void keepPrivately(PrivateFlags privateFlags, List<StoredMessage> added, List<Set<SystemFlag>> wanted)
            throws IOException {
        var ownBits = new LinkedHashMap<Long, Integer>();
        for (int i = 0; i < added.size(); i++) {
            int bits = MessageTable.flagBits(wanted.get(i)) & privateFlags.mask();
            if (bits != 0) {
                ownBits.put(added.get(i).uid(), bits);
            }
        }
        if (!ownBits.isEmpty()) {
            setPrivately(privateFlags, ownBits, current.highestModseq());
        }
    }

    /** The MODSEQ the next change gets: above the mailbox's and above every private change's. */
    private long nextModseq() {
        return Math.max(current.highestModseq(), privateModseq) + 1;
    }

    /**
     * The private flags kept in {@code file} for one user of this mailbox (opened on first use, then shared by
     * their sessions until this state closes); {@code announce} tells that user's listeners of their changes.
     */
    public PrivateFlags privateFlags(Path file, int mask, Runnable announce) throws IOException {
        lock.lock();
        try {
            var known = privates.get(file);
            var snapshot = current;
            if (known != null && known.uidValidity() == snapshot.uidValidity()) {
                return known;
            }
            if (known != null) {
                known.close();
            }
            var opened = PrivateFlags.open(file, fsync, mask, snapshot.uidValidity(), snapshot.table(), announce);
            privates.put(file, opened);
            return opened;
        } finally {
            lock.unlock();
        }
    }

    /** What a user with {@code privateFlags} sees at one moment: the mailbox and their private flags, in step. */
    public record Seen(MailboxSnapshot snapshot, PrivateFlags.Rows rows) {}

    /** The current snapshot and {@code privateFlags}' rows, taken together (no change of either between them). */
    Seen seen(PrivateFlags privateFlags) {
        if (!privateFlags.any()) {
            return new Seen(current, PrivateFlags.Rows.EMPTY);
        }
        lock.lock();
        try {
            return new Seen(current, privateFlags.current());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The figures of the mailbox as a user with {@code privateFlags} sees them now: UNSEEN by their own
     * {@code \Seen} when it is private, HIGHESTMODSEQ up to their own last private change.
     */
    MailboxStatus statusSeenBy(PrivateFlags privateFlags) {
        var seen = seen(privateFlags);
        var snapshot = seen.snapshot();
        var status = statusOf(snapshot);
        int flag = 1 << SystemFlag.SEEN.ordinal();
        int unseen = (privateFlags.mask() & flag) == 0 ? status.unseen()
                : snapshot.count() - seen.rows().countSet(flag, snapshot.table());
        long highest = status.highestModseq() == 0 ? 0 : Math.max(status.highestModseq(), seen.rows().highestModseq());
        return new MailboxStatus(status.messages(), status.recent(), status.uidNext(), status.uidValidity(), unseen,
                status.size(), status.version(), highest);
    }

    /** Expunges {@code messages} on behalf of no session (POP3, tools): every view may still show them. */
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        expunge(messages, null);
    }

    /**
     * Expunges {@code messages} for the session of view {@code by}, which reports the expunge at
     * once; other views that still show them can still read them ({@link ExpungedHolds}).
     */
    public void expunge(Collection<StoredMessage> messages, MailboxView by) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            usingFiles();
            boolean wasInStep = inStep();
            var holds = expunged.hold(store, messages, by);
            try {
                store.expunge(messages);
            } catch (IOException | RuntimeException e) {
                expunged.abandon(holds);
                throw e;
            }
            var logged = new ArrayList<Change>();
            for (var m : messages) {
                if (!expunged.isHeld(m.uid())) {
                    structures.remove(m.uid()); // a held one's structure goes when the hold does
                }
                logged.add(new Change.Expunge(m.uid()));
            }
            publishOwn(logged, writtenModseq(), wasInStep);
            expunged.published(holds, current.version());
        } finally {
            lock.unlock();
        }
        long bytes = 0;
        for (var m : messages) {
            bytes += m.physicalSize();
        }
        quotas.removed(user, bytes, messages.size());
    }

    /** A view of this mailbox was made: messages expunged from now on stay readable for it until it reports them. */
    void attach(MailboxView view) {
        expunged.attach(view);
    }

    /** A view reported expunges: holds no view needs any more are let go. */
    void expungesReported() {
        expunged.release(structures::remove);
    }

    /** Whether the expunged message {@code uid} is still held readable (for tests). */
    boolean isHeld(long uid) {
        return expunged.isHeld(uid);
    }

    /** A view is no longer used (its session unselected the mailbox or ended). */
    void detach(MailboxView view) {
        expunged.detach(view, structures::remove);
    }

    /**
     * Copies into {@code target} (flags and internal date kept); returns the copies in order.
     *
     * @throws org.roost.mail.OverQuotaException when the copies do not fit in the target user's quota
     */
    public List<StoredMessage> copyTo(MailboxState target, List<StoredMessage> messages) throws IOException {
        return copyTo(target, messages, PrivateFlags.NONE);
    }

    /**
     * As {@link #copyTo(MailboxState, List)} by a user with {@code targetPrivate} in {@code target}: the flags of its
     * mask the messages have are that user's own on the copies, the mail gets the others (as Dovecot saves them).
     */
    public List<StoredMessage> copyTo(MailboxState target, List<StoredMessage> messages, PrivateFlags targetPrivate)
            throws IOException {
        try (var ticket = quotas.ticket(target.user)) {
            return copyTo(target, messages, ticket, targetPrivate);
        }
    }

    /**
     * The copy of a MOVE (RFC 6851), whose source messages are expunged next: within one user's mail it adds
     * nothing in the end, so it is counted but not refused for quota.
     */
    public List<StoredMessage> moveTo(MailboxState target, List<StoredMessage> messages, PrivateFlags targetPrivate)
            throws IOException {
        try (var ticket = target.user.equals(user) ? quotas.exemptTicket(user) : quotas.ticket(target.user)) {
            return copyTo(target, messages, ticket, targetPrivate);
        }
    }

    private List<StoredMessage> copyTo(MailboxState target, List<StoredMessage> messages, Quotas.Ticket ticket,
            PrivateFlags targetPrivate) throws IOException {
        int mask = targetPrivate.mask();
        var shared = mask == 0 ? messages : messages.stream().map(m -> PrivateFlags.seenAs(m, 0, mask)).toList();
        List<StoredMessage> copies;
        target.lock.lock();
        try {
            usingFiles();
            target.usingFiles();
            boolean wasInStep = target.inStep();
            copies = store.copyTo(target.store, shared, ticket);
            target.publishAdded(copies, wasInStep);
            target.keepPrivately(targetPrivate, copies, messages.stream().map(StoredMessage::flags).toList());
        } finally {
            target.lock.unlock();
        }
        ticket.commit();
        return copies;
    }

    /**
     * Under the lock, before a flag change: where the storage allocates the MODSEQs (a database other servers write
     * too), reads what they changed since this state last looked (one read of the change token, a rescan only when
     * it moved). A flag change is made from the flags as this state holds them, and stored whole; from a stale
     * table it would undo another server's change of the same message's other flags, and test UNCHANGEDSINCE
     * against a MODSEQ the message no longer has.
     */
    private void catchUpWithOtherServers() throws IOException {
        if (!storeModseqs) {
            return;
        }
        var token = store.changeToken();
        if (!unchangedSince(token)) {
            rescan(token);
        }
    }

    /**
     * Under the lock, after one of our own writes of the storage: the MODSEQ it gave the messages it changed, the
     * storage's where it {@link #storeModseqs allocates them}, else the next of this mailbox's.
     */
    private long writtenModseq() {
        if (!storeModseqs) {
            return nextModseq();
        }
        var stamps = store.lastWrite();
        return stamps == null ? current.highestModseq() : stamps.modseq();
    }

    /**
     * Under the lock, after one of our own writes: shows {@code changes} at {@code modseq}. Where the storage
     * allocates the MODSEQs and another server changed the mailbox since this state last read it (its MODSEQs are
     * then below the write's), the mailbox is read afresh instead, which shows the write too at the storage's
     * MODSEQs: no session is shown a HIGHESTMODSEQ above a change it was not told of (RFC 7162 §3.1.2.1).
     */
    private void publishOwn(List<Change> changes, long modseq, boolean wasInStep) throws IOException {
        if (storeModseqs && !writeFollowsSynced()) {
            rescan(store.changeToken());
            return;
        }
        publish(changes, modseq, afterOwnWrite(wasInStep));
    }

    /** Whether the storage's last write was the only change since the state {@link #synced} stands for. */
    private boolean writeFollowsSynced() {
        var stamps = store.lastWrite();
        return stamps != null && synced != null && synced.settled() && synced.sameStamps(stamps.before());
    }

    /**
     * Called under the lock before one of our own writes: whether the state was in step with the
     * storage, so that the token read after the write may stand for the state the write produced.
     */
    private boolean inStep() throws IOException {
        return store.stampsWrites() || unchangedSince(store.changeToken());
    }

    /**
     * After our own write the storage's stamps moved; when nothing else had changed before the
     * write, the new stamps are adopted as ours (no rescan for our own change). Otherwise the next
     * refresh scans. A change by another process within the same clock tick as our write would be
     * missed until the next change: the window is a few milliseconds on file systems with
     * nanosecond time stamps. A store that {@link MailboxStore#stampsWrites() stamps its writes} has
     * no such window: the write's own stamps say whether it was the only change.
     */
    private ChangeToken afterOwnWrite(boolean wasInStep) throws IOException {
        if (store.stampsWrites()) {
            var stamps = store.lastWrite();
            if (stamps != null) {
                synced = synced != null && synced.sameStamps(stamps.before()) ? stamps.after() : null;
            }
            return synced;
        }
        var token = wasInStep ? store.changeToken() : null;
        synced = token == null ? null
                : new ChangeToken(token.deliveries(), token.contents(), token.metadata(), true);
        return synced;
    }

    /**
     * Claims {@code \Recent} for a session (RFC 3501 §2.3.2: recent in exactly one session): returns
     * the lowest UID that is recent for the caller; messages from it up to {@code upTo} are its own.
     */
    public long claimRecent(long upTo) {
        lock.lock();
        try {
            long first = recentBoundary;
            recentBoundary = Math.max(recentBoundary, upTo + 1);
            return first;
        } finally {
            lock.unlock();
        }
    }

    /**
     * The lowest UID no session has claimed as {@code \Recent}, claiming nothing: what a read-only
     * session (EXAMINE) shows as recent, as SELECT would, while leaving the claim to the next SELECT
     * (RFC 3501 §6.3.2; Dovecot does the same).
     */
    public long firstUnclaimedRecent() {
        lock.lock();
        try {
            return recentBoundary;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages no session has claimed as {@code \Recent} yet (for STATUS RECENT). */
    public int unclaimedRecent() {
        lock.lock();
        try {
            if (recentBoundary >= current.uidNext()) {
                return 0; // every message claimed: the common case, and no search (LIST-STATUS asks per mailbox)
            }
            int first = current.indexOf(recentBoundary);
            return current.count() - (first >= 0 ? first : -first - 1);
        } finally {
            lock.unlock();
        }
    }

    /** Registers a callback run after each change (used by IDLE); returns the handle that removes it. */
    public Runnable watch(Runnable onChange) {
        watchers.add(onChange);
        followStorage();
        return () -> {
            watchers.remove(onChange);
            followStorage();
        };
    }

    /**
     * While someone watches, changes the storage tells of (another replica's, {@link MailboxStore#watchChanges})
     * are read as they happen, reaching the watchers like any other.
     */
    private void followStorage() {
        synchronized (watchers) {
            if (!watchers.isEmpty() && unfollowStorage == null) {
                unfollowStorage = store.watchChanges(this::refreshAfterStorageChange);
            } else if (watchers.isEmpty() && unfollowStorage != null) {
                unfollowStorage.run();
                unfollowStorage = null;
            }
        }
    }

    private void refreshAfterStorageChange() {
        try {
            refresh(true);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: refresh after a change elsewhere failed: {1}", name, e.getMessage());
        }
    }

    /** Told what kinds of change each publication made, and which flags its flag changes changed. */
    @FunctionalInterface
    interface Announcer {
        /** {@code flags}: see {@link MailboxEvent.MessagesChanged#flags()}. */
        void changed(Set<MailboxEvent.MessageChange> kinds, int flags);
    }

    /** Tells {@code kinds} of every change from now on to {@code announcer} (the cache's events of this mailbox). */
    void announceTo(Announcer announcer) {
        this.announcer = announcer;
    }

    /** Tells {@code watcher} of every message that comes or goes from now on (the full-text indexer). */
    void watchContent(IndexCache.ContentWatcher watcher) {
        contentWatcher = watcher;
    }

    /** Whether a session is watching (an IDLE), for the cache's eviction policy. */
    boolean watched() {
        return !watchers.isEmpty();
    }

    /**
     * Applies changes, records the expunged UIDs and the MODSEQ (durably, before the log: a log that
     * gets ahead of the history would let a rebuild hand out a MODSEQ twice), records the changes
     * in the log (durably), then shows them to sessions.
     */
    private void publish(List<Change> changes, long modseq, ChangeToken token) throws IOException {
        var old = current;
        var table = old.table().apply(changes);
        var next = new MailboxSnapshot(old.version() + 1, store.uidValidity(), Math.max(old.uidNext(), store.nextUid()),
                storeModseqs ? modseq : Math.max(old.highestModseq(), modseq), table);
        next.summaryKnown(summaryAfterFlagChanges(old, table, changes));
        long[] expunged = changes.stream().filter(c -> c instanceof Change.Expunge).mapToLong(Change::uid)
                .sorted().toArray();
        historyWrite(h -> h.record(expunged, next.highestModseq()));
        current = next;
        if (expunged.length > 0) {
            privates.values().forEach(p -> p.expunged(expunged));
        }
        // The mail is written and stays the truth; should the log fail, a scan catches up when reopened.
        indexWrite(i -> i.commit(changes, next, token));
        lastRefresh = System.nanoTime();
        watchers.forEach(Runnable::run);
        var kinds = kinds(changes);
        if (!kinds.isEmpty() || old.uidValidity() != next.uidValidity()) {
            announcer.changed(kinds, changedFlags(old.table(), changes));
        }
        if (kinds.contains(MailboxEvent.MessageChange.NEW) || kinds.contains(MailboxEvent.MessageChange.EXPUNGED)) {
            contentWatcher.changed(user, name, (int) changes.stream().filter(c -> c instanceof Change.Append).count());
        }
    }

    /**
     * The summary of {@code table} when {@code changes} changed only flags of {@code old}'s messages, from old's summary
     * at hand (see {@link TableSummary#afterFlagChanges}); else null, and it is computed when first asked.
     */
    private static TableSummary summaryAfterFlagChanges(MailboxSnapshot old, MessageTable table, List<Change> changes) {
        var before = old.summaryAtHand();
        if (before == null || !changes.stream().allMatch(c -> c instanceof Change.Flags)) {
            return null;
        }
        var rows = new BitSet();
        for (var change : changes) {
            int i = table.indexOf(change.uid());
            if (i >= 0) {
                rows.set(i);
            }
        }
        return before.afterFlagChanges(old.table(), table, rows);
    }

    /** The flags {@code changes}' flag changes changed from {@code before} ({@link MailboxEvent.MessagesChanged#flags()}). */
    private static int changedFlags(MessageTable before, List<Change> changes) {
        int changed = 0;
        boolean any = false;
        for (var change : changes) {
            if (change instanceof Change.Flags f) {
                any = true;
                int i = before.indexOf(f.uid());
                if (i < 0) {
                    return MailboxEvent.MessagesChanged.ANY_FLAGS;
                }
                changed |= before.flags(i) ^ f.flags();
                if (before.keywords(i) != f.keywords()) {
                    changed |= MailboxEvent.MessagesChanged.KEYWORDS;
                }
            }
        }
        return any ? changed : MailboxEvent.MessagesChanged.ANY_FLAGS;
    }

    private static Set<MailboxEvent.MessageChange> kinds(List<Change> changes) {
        var kinds = EnumSet.noneOf(MailboxEvent.MessageChange.class);
        for (var change : changes) {
            switch (change) {
                case Change.Append a -> kinds.add(MailboxEvent.MessageChange.NEW);
                case Change.Expunge e -> kinds.add(MailboxEvent.MessageChange.EXPUNGED);
                case Change.Flags f -> kinds.add(MailboxEvent.MessageChange.FLAGS);
                case Change.Facts f -> { } // learnt, not changed
            }
        }
        return kinds;
    }

    /**
     * Counts this mailbox among those holding descriptors before it may open its files, and marks it used: the
     * least recently used ones let theirs go when there are too many ({@link DescriptorBudget}).
     */
    void usingFiles() {
        lastFileUse = System.nanoTime();
        if (!descriptors.holds(this)) {
            descriptors.register(this);
        }
    }

    long lastFileUse() {
        return lastFileUse;
    }

    /**
     * Closes the files this mailbox keeps open between commands (index log, MODSEQ history, structure cache, the
     * storage's uid list); each opens again when next used, so sessions holding the mailbox go on unaware. False
     * when the mailbox or one of its files is busy, which keeps what is in use.
     */
    boolean releaseFiles() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            var i = index;
            var h = history;
            if (h != null) {
                try {
                    h.close();
                } catch (IOException ignored) {
                    // nothing pending: each write was complete when it returned
                }
            }
            return (i == null || i.release()) & structures.releaseFile() & store.releaseFiles();
        } finally {
            lock.unlock();
        }
    }

    /** Closes the index files (the state is being dropped from the cache). */
    void close() {
        lock.lock();
        try {
            if (index != null) {
                index.close();
            }
            if (history != null) {
                try {
                    history.close();
                } catch (IOException ignored) {
                    // nothing pending: each write was complete when it returned
                }
            }
            expunged.releaseAll();
            structures.close();
            privates.values().forEach(PrivateFlags::close);
        } finally {
            lock.unlock();
        }
    }
}
