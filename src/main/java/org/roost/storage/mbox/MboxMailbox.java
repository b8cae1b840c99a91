package org.roost.storage.mbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.roost.mail.Keywords;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.QuotaUsage;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.ChangeToken;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/**
 * One mbox file served as a mailbox, compatible with UW-IMAP, Dovecot and the programs that share the
 * file (MTAs, procmail, mutt): UIDs in {@code X-UID} headers under the mailbox's {@code X-IMAPbase},
 * flags in {@code Status}/{@code X-Status}/{@code X-Keywords}, all hidden from clients; the file is the
 * truth, read again whenever its {@link FileStamp} changed.
 *
 * <p>UIDs given to messages other programs delivered are written into the file right after the scan
 * that gave them: at once when that rewrite is small (an MTA's new message at the end), otherwise by a
 * background rewrite, so that the first open of a large mbox that no IMAP server touched answers before
 * the whole file is rewritten; until then {@link PendingUids} keeps them (or, without an index
 * directory, the rewrite is always done at once).
 */
final class MboxMailbox implements MailboxStore, ExposedStream.Source {

    private static final System.Logger LOG = System.getLogger(MboxMailbox.class.getName());
    /** A rewrite of the file's metadata smaller than this is done at once, before the scan returns. */
    static final long SMALL_REWRITE = 1 << 20;
    /** Below this age a modification time may still be shared by a next change (file systems with fine stamps). */
    private static final long FINE_RACE_NANOS = 50_000_000L;
    private static final long COARSE_RACE_NANOS = 2_000_000_000L;

    private final String name;
    private final MboxFile file;
    private final Path indexDirectory;
    private final MboxOptions options;
    private final Synchronizer.UidValiditySource validities;
    private final Rewriter rewriter;
    private final AtomicBoolean flushing = new AtomicBoolean();
    private final AtomicLong changes = new AtomicLong();
    private volatile MboxContents contents;
    private PendingUids pendingWritten;
    /** UIDVALIDITY and next UID as the map or the first message's X-IMAPbase said when the mailbox was opened. */
    private final Header opened;
    /** The map's head when it matched the file at the opening (its token stands until the file changes), else null. */
    private final MapFile.Head openedMap;
    private final AtomicBoolean mapDue = new AtomicBoolean();
    private final AtomicBoolean touchDue = new AtomicBoolean();
    /** The thread waiting to move the time stamp on, if one was started ({@link #touchLater}). */
    private volatile Thread toucher;
    private final AtomicLong wholeMapReads = new AtomicLong();
    private final AtomicLong mapLookups = new AtomicLong();
    private final AtomicLong wholeMapWrites = new AtomicLong();
    private final AtomicLong touches = new AtomicLong();
    private final AtomicLong synchronizations = new AtomicLong();
    private final Object mapLock = new Object();
    /** What the map file says, as this process last read or wrote it (null: not known). */
    private MboxContents mapWritten;
    /** See {@link #mapEntries()}. */
    private MapFile.Entries entries;
    private Thread readAhead;
    private volatile boolean closed;

    MboxMailbox(String name, Path path, Path indexDirectory, MboxOptions options, MboxLocking locking,
                Synchronizer.UidValiditySource validities) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new MailboxNotFoundException("mailbox does not exist: " + name);
        }
        this.name = name;
        this.file = MboxFile.of(path, locking);
        this.indexDirectory = indexDirectory;
        this.options = options;
        this.validities = validities;
        this.rewriter = new Rewriter(path, options);
        if (indexDirectory != null) {
            Files.createDirectories(indexDirectory);
        }
        recoverIfInterrupted();
        var head = indexDirectory == null ? null : MapFile.head(indexDirectory.resolve(MapFile.NAME));
        var stamp = FileStamp.of(path);
        this.openedMap = head != null && head.stamp().equals(stamp) ? head : null;
        var header = openedMap != null ? new Header(head.uidValidity(), head.nextUid())
                : file.readInTurn(this::firstBase);
        this.opened = header != null ? header : header(sync());
    }

    /** Closes the mbox file kept open between calls (see {@link MboxFile#release}). */
    @Override
    public boolean releaseFiles() {
        return file.release();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uidValidity() {
        return known().uidValidity();
    }

    @Override
    public long nextUid() {
        return known().nextUid();
    }

    @Override
    public Path indexDirectory() {
        return indexDirectory;
    }

    /** The mbox file's directory: another program's append modifies the file, a rewrite renames a new one in. */
    @Override
    public List<Path> watchedDirectories() {
        var parent = file.path().toAbsolutePath().getParent();
        return parent == null ? List.of() : List.of(parent);
    }

    /**
     * What is known: the contents once synchronized, else what the first message's {@code X-IMAPbase}
     * and the pending UIDs said at the opening (all an index needs to open without reading the file).
     */
    private Header known() {
        var c = contents;
        return c != null ? header(c) : opened;
    }

    private record Header(long uidValidity, long nextUid) {
    }

    private static Header header(MboxContents c) {
        return new Header(c.uidValidity(), c.nextUid());
    }

    private Header firstBase(FileChannel channel) throws IOException {
        var stamp = FileStamp.of(file.path());
        if (stamp == null || stamp.size() == 0) {
            return null;
        }
        var first = Scanner.scan(channel, 0, stamp.size(), options.zone(), 1);
        var base = first.isEmpty() ? null : first.getFirst().meta().base;
        if (base == null) {
            return null;
        }
        var pending = pending();
        long next = base.lastUid() + 1;
        if (pending != null && pending.uidValidity() == base.uidValidity()) {
            next = Math.max(next, pending.nextUid());
        }
        return new Header(base.uidValidity(), next);
    }

    // ---- change detection and scans --------------------------------------------------------------

    /** The file's stamp: an append changes its size, a rewrite its time, a replacement its inode. */
    @Override
    public ChangeToken changeToken() throws IOException {
        var stamp = FileStamp.of(file.path());
        if (stamp == null) {
            return new ChangeToken(-1, 0, 0, true);
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        boolean coarse = stamp.modifiedNanos() % 1_000_000_000L == 0;
        boolean settled = now - stamp.modifiedNanos() > (coarse ? COARSE_RACE_NANOS : FINE_RACE_NANOS);
        var c = contents;
        var token = c != null && stamp.equals(c.stamp()) ? c.tokenStamp()
                : c == null && openedMap != null && stamp.equals(openedMap.stamp()) ? openedMap.tokenStamp() : stamp;
        return new ChangeToken(token.size(), token.modifiedNanos() * 31 + token.key().hashCode(), 0, settled);
    }

    @Override
    public List<StoredMessage> scan() throws IOException {
        return MailboxStore.collected(this);
    }

    @Override
    public void scan(ScanConsumer consumer) throws IOException {
        var c = sync();
        consumer.expect(c.messages().size());
        long fallbackDate = c.stamp().modifiedNanos() / 1_000_000_000L;
        for (var m : c.messages()) {
            consumer.accept(m.stored(fallbackDate));
        }
    }

    /**
     * Reads the file as it is now (only what changed, when it only grew), then has what the file does
     * not say yet written into it.
     */
    MboxContents sync() throws IOException {
        var known = contents;
        if (known != null && known.stamp().equals(FileStamp.of(file.path()))) {
            // Unchanged: no need to wait for a writer (a long rewrite in the background may hold the turn).
            return known.written() ? known : keepUids(known);
        }
        recoverIfInterrupted();
        var c = file.readInTurn(this::synchronize);
        if (!c.written()) {
            c = keepUids(c);
        }
        return c;
    }

    /**
     * Called with the file's read (or write) locks, after any interrupted rewrite was finished. The
     * first time, what the map says is the starting point.
     */
    private MboxContents synchronize(FileChannel channel) throws IOException {
        synchronizations.incrementAndGet();
        var stamp = FileStamp.of(file.path());
        if (stamp == null) {
            throw new MailboxNotFoundException("mailbox no longer exists: " + name);
        }
        var known = contents;
        var before = known != null ? known : mapped();
        var c = Synchronizer.sync(before, stamp, channel, known == null ? pending() : pendingWritten, validities,
                options.zone());
        contents = c;
        if (c != before) {
            mapLater();
        }
        return c;
    }

    /** The map's contents, when there is a map. */
    private MboxContents mapped() throws IOException {
        wholeMapReads.incrementAndGet();
        if (indexDirectory == null) {
            return null;
        }
        synchronized (mapLock) {
            var read = MapFile.read(indexDirectory.resolve(MapFile.NAME));
            mapWritten = read;
            return read;
        }
    }

    /**
     * Writes the map now (after messages moved: a restart must not start from a map that says otherwise);
     * after flag changes in place, only their entries.
     */
    private void mapNow(MboxContents c) throws IOException {
        if (indexDirectory == null) {
            return;
        }
        var map = indexDirectory.resolve(MapFile.NAME);
        synchronized (mapLock) {
            var written = mapWritten;
            mapWritten = null; // until this write is done: a failed one leaves the file unknown
            if (written == null || !MapFile.patch(map, written, c)) {
                MapFile.write(map, c);
                wholeMapWrites.incrementAndGet();
            }
            mapWritten = c;
        }
    }

    /**
     * Writes the map a little later, once for any number of changes meanwhile (appends: a map that
     * misses the last of them still serves, the sync reads them from the file).
     */
    private void mapLater() {
        if (indexDirectory == null || !mapDue.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("mbox-map").start(() -> {
            try {
                Thread.sleep(MAP_DELAY_MILLIS);
                flushMap();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: the mbox map was not written ({1})", name, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * Does now what waits for a delay (for a server that stops): the time stamp moved on once its second is over
     * ({@link #touchLater}: else Dovecot would not see the last changes), then the map written.
     */
    void flush() throws IOException {
        var touching = toucher;
        if (touching != null) {
            try {
                touching.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while moving the mbox time stamp on");
            }
        }
        flushMap();
    }

    /**
     * Writes the map now if a change is waiting for {@link #mapLater}: a server that stops within the delay
     * otherwise leaves a map older than the file, and its next start checks every message's block once (or,
     * after messages moved, reads the whole file). A write of the map under way is waited for.
     */
    void flushMap() throws IOException {
        synchronized (mapLock) { // and waits for a write of the map under way
            var c = contents;
            if (mapDue.getAndSet(false) && c != null) {
                mapNow(c);
            }
        }
    }

    /** How long changes may gather before the map is written again. */
    private static final long MAP_DELAY_MILLIS = 2000;

    /**
     * The UIDs the scan gave are made durable: in the file at once when the rewrite is small or there
     * is no index directory for a pending list; otherwise in the pending list, and in the file by a
     * rewrite in the background.
     */
    private MboxContents keepUids(MboxContents c) throws IOException {
        long rewrite = c.stamp().size() - firstUnwritten(c);
        if (indexDirectory == null || rewrite < SMALL_REWRITE) {
            return writeUids();
        }
        var pending = new PendingUids(c.uidValidity(), c.nextUid(), c.messages().stream()
                .filter(m -> !m.uidWritten())
                .map(m -> new PendingUids.Entry(m.offset(), m.found().fromCrc(), m.uid()))
                .toList());
        if (!pending.equals(pendingWritten)) {
            pending.write(indexDirectory.resolve(PendingUids.FILE), options.fsync());
            pendingWritten = pending;
        }
        if (flushing.compareAndSet(false, true)) {
            Thread.ofVirtual().name("mbox-rewrite").start(() -> {
                try {
                    writeUids();
                } catch (IOException | RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: writing UIDs into the mbox failed ({1}); trying again "
                            + "at the next change", name, e.getMessage());
                } finally {
                    flushing.set(false);
                }
            });
        }
        return c;
    }

    /** Where the first message whose UID the file does not say starts (the file's end when there is none). */
    private static long firstUnwritten(MboxContents c) {
        if (c.fileBase() == null || c.fileBase().uidValidity() != c.uidValidity()) {
            return c.firstOffset();
        }
        int first = c.messages().firstUnwritten();
        return first < 0 ? c.stamp().size() : c.messages().get(first).offset();
    }

    /** Writes every UID and the mailbox's X-IMAPbase into the file. */
    private MboxContents writeUids() throws IOException {
        return change(new HashMap<>(), Set.of(), List.of()).contents();
    }

    /**
     * Applies a change with the write locks held, on the file as it is then; flag changes of messages
     * gone meanwhile are dropped from {@code flags}.
     */
    private Rewriter.Result change(Map<Long, Rewriter.FlagState> flags, Set<Long> expunged,
                                   List<Rewriter.NewMessage> appends) throws IOException {
        return file.write(writer -> {
            changes.incrementAndGet();
            var c = synchronizeForWrite(writer);
            flags.keySet().removeIf(uid -> c.indexOf(uid) < 0);
            var result = rewriter.apply(writer, c, flags, expunged, appends);
            contents = result.contents();
            if (result.wrote() && unchangedInWholeSeconds(c.stamp(), result.contents().stamp())) {
                touchLater(result.contents().stamp());
            }
            boolean moved = !expunged.isEmpty() || (flags.isEmpty() && appends.isEmpty()
                    && c.stamp().size() - firstUnwritten(c) >= SMALL_REWRITE);
            if (moved) {
                mapNow(result.contents()); // a map from before would send a restart through a whole reading
            } else {
                mapLater();
            }
            // after the map: whoever waits for the UIDs to be written (a stopping server) finds the map too
            if (result.contents().written()) {
                forgetPending();
            }
            return result;
        });
    }

    /**
     * Whether a change left the file as long as it was and its time stamp in the same second: Dovecot (which
     * keeps an mbox's size and modification time in whole seconds, as do other programs) then takes the file
     * for unchanged, and the change stays unseen there until the next one.
     */
    private static boolean unchangedInWholeSeconds(FileStamp before, FileStamp after) {
        return before.size() == after.size() && seconds(before) == seconds(after);
    }

    private static long seconds(FileStamp stamp) {
        return Math.floorDiv(stamp.modifiedNanos(), 1_000_000_000L);
    }

    /**
     * Once the clock has passed the second of {@code written}, moves the file's time stamp on (once for any
     * number of such changes meanwhile). Dovecot does so after moving messages without changing the file's
     * size, sleeping until the next second while it holds the lock; here neither the client nor the lock waits.
     */
    private void touchLater(FileStamp written) {
        if (!touchDue.compareAndSet(false, true)) {
            return;
        }
        toucher = Thread.ofVirtual().name("mbox-touch").start(() -> {
            try {
                long second = seconds(written);
                Thread.sleep(Math.clamp((second + 1) * 1000 - System.currentTimeMillis(), 0, 1000));
                touchDue.set(false); // a change from now on may need its own
                // a time stamp ahead of the clock (another machine's) is left alone: now would move it back
                if (!closed && System.currentTimeMillis() / 1000 > second) {
                    touch(second);
                }
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: the mbox time stamp was not moved on ({1})", name,
                        e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Moves the time stamp to now unless the file changed after {@code second} anyway; what is known follows. */
    private void touch(long second) throws IOException {
        file.write(writer -> {
            writer.exclusive(() -> {
                var now = FileStamp.of(file.path());
                if (now == null || seconds(now) > second) {
                    return;
                }
                Files.setLastModifiedTime(file.path(), FileTime.from(Instant.now()));
                touches.incrementAndGet();
                var c = contents;
                if (c != null && c.stamp().equals(now)) {
                    contents = c.restamped(FileStamp.of(file.path()));
                    mapLater();
                }
            });
            return null;
        });
    }

    private PendingUids pending() throws IOException {
        return indexDirectory == null ? null : PendingUids.read(indexDirectory.resolve(PendingUids.FILE));
    }

    private void forgetPending() throws IOException {
        if (indexDirectory != null && (pendingWritten != null || contents == null)) {
            Files.deleteIfExists(indexDirectory.resolve(PendingUids.FILE));
        }
        pendingWritten = null;
    }

    /** A change a crash interrupted is finished first (with the write locks, before anything reads). */
    private void recoverIfInterrupted() throws IOException {
        if (Files.exists(Journal.pathFor(file.path()))) {
            file.write(writer -> {
                recover(writer);
                return null;
            });
        }
    }

    /** With the write locks held: finishes an interrupted rewrite, then reads the file. */
    private MboxContents synchronizeForWrite(MboxFile.Writer writer) throws IOException {
        recover(writer);
        return synchronize(writer.channel());
    }

    private void recover(MboxFile.Writer writer) throws IOException {
        if (Files.exists(Journal.pathFor(file.path()))) {
            writer.exclusive(() -> {
                if (Journal.recover(file.path(), writer.channel(), options.fsync())) {
                    LOG.log(System.Logger.Level.WARNING, "{0}: finished a rewrite that was interrupted", name);
                    contents = null;
                }
            });
        }
    }

    // ---- reading ---------------------------------------------------------------------------------

    @Override
    public InputStream open(StoredMessage message) throws IOException {
        return exposed(message, false);
    }

    @Override
    public InputStream openHeader(StoredMessage message) throws IOException {
        return exposed(message, true);
    }

    private InputStream exposed(StoredMessage message, boolean headerOnly) throws IOException {
        var entries = mapEntries();
        boolean mapped = entries != null && entries.stamp().equals(FileStamp.of(file.path()))
                && entries.find(message.uid()) != null;
        if (!mapped && current().indexOf(message.uid()) < 0) {
            throw new MessageNotFoundException("message " + message.uid() + " is gone");
        }
        return new ExposedStream(this, message.uid(), headerOnly);
    }

    /** The contents, synchronized once at least (a mailbox opened from an index reads the file only now). */
    private MboxContents current() throws IOException {
        var c = contents;
        return c != null ? c : sync();
    }

    /**
     * Until the file is first synchronized, the map's entries when the mailbox was opened from a map that
     * matched the file and no UIDs wait to be written (a sync would write them): reads look their
     * message up there, so the first FETCH of a body after a restart does not read and parse the whole
     * map (12 MB for 100,000 messages). After the first such read the whole map is read in the
     * background: a write needs it, and should not wait for it.
     */
    private MapFile.Entries mapEntries() throws IOException {
        if (contents != null || openedMap == null) {
            return null;
        }
        synchronized (this) {
            if (entries == null && !Files.exists(indexDirectory.resolve(PendingUids.FILE))) {
                var read = MapFile.entries(indexDirectory.resolve(MapFile.NAME));
                if (read != null && read.stamp().equals(openedMap.stamp())) {
                    file.readInTurn(channel -> null); // opens the file, which a sync would have done
                    entries = read;
                }
            }
            return entries;
        }
    }

    /** Starts reading the whole map in the background, once (after a read was served from the entries). */
    private synchronized void readAhead() {
        if (readAhead == null && contents == null) {
            readAhead = Thread.ofVirtual().name("mbox-read-ahead").start(this::syncQuietly);
        }
    }

    /**
     * How long the reading ahead waits: a client's first reads come in a burst (the newest envelopes),
     * which a 12 MB parse beside them would slow down on a small machine.
     */
    private static final long READ_AHEAD_DELAY_MILLIS = 1000;

    private void syncQuietly() {
        try {
            Thread.sleep(READ_AHEAD_DELAY_MILLIS);
            if (!closed) { // a closed mailbox's file was deleted or renamed: nothing to open again
                sync();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: the mbox was not read ahead ({1})", name, e.getMessage());
        }
    }

    /** Waits for the background reading {@link #mapEntries()} started, if any (for tests). */
    void awaitReadAhead() throws InterruptedException {
        Thread started;
        synchronized (this) {
            started = readAhead;
        }
        if (started != null) {
            started.join();
        }
    }

    @Override
    public void readPiece(ExposedStream stream) throws IOException {
        for (int attempt = 0; attempt < 3; attempt++) {
            if (mapEntries() == null) {
                current();
            }
            boolean done = file.read(channel -> {
                var found = located(channel, stream.uid);
                if (found == null) {
                    return false; // another program changed the file: read it again first
                }
                var range = stream.next(found);
                if (range == null) {
                    stream.finished();
                    return true;
                }
                var bytes = new byte[(int) (range[1] - range[0])];
                int n = Rewriter.readFully(channel, ByteBuffer.wrap(bytes), range[0]);
                if (n < bytes.length) {
                    return false;
                }
                stream.consumed(bytes, n);
                return true;
            });
            if (done) {
                if (contents == null) {
                    readAhead();
                }
                return;
            }
            sync();
        }
        throw new IOException("mbox keeps changing under a read: " + name);
    }

    /**
     * Where a message lies in the file as it is now (read locks held), or null when what is known of the
     * file is not what it is: from the contents, or before the first sync from the map's entry, whose
     * separator line is checked in the file (the map's checksum was not).
     */
    private Scanner.Found located(FileChannel channel, long uid) throws IOException {
        var now = FileStamp.of(file.path());
        var c = contents;
        if (c != null) {
            if (!c.stamp().equals(now)) {
                return null;
            }
            int i = c.indexOf(uid);
            if (i < 0) {
                throw new MessageNotFoundException("message " + uid + " is gone");
            }
            return c.messages().get(i).found();
        }
        var entries = mapEntries();
        var found = entries == null || !entries.stamp().equals(now) ? null : entries.find(uid);
        if (found == null || !Synchronizer.separatorUnchanged(channel, found)) {
            return null;
        }
        mapLookups.incrementAndGet();
        return found;
    }

    @Override
    public HeldMessage hold(StoredMessage message) throws IOException {
        // The message is copied out (the mbox bytes will move) into a file nobody can see.
        FileChannel channel;
        try (var in = open(message)) {
            channel = spool(in, (b, offset, length) -> { });
        }
        return new HeldMessage() {
            @Override
            public InputStream open() {
                return new ChannelInputStream(channel);
            }

            @Override
            public StoredMessage stated() {
                return message; // an mbox's scan tells the date and sizes: nothing is left to look up
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }

    /**
     * Copies {@code in} into a file beside the mbox that is deleted at once: it lives as long as the channel, so
     * neither a crash nor a forgotten discard leaves anything behind. {@code observer} sees every byte.
     */
    private FileChannel spool(InputStream in, Exposure.Sink observer) throws IOException {
        var directory = file.path().toAbsolutePath().getParent();
        var temp = Files.createTempFile(directory, "." + file.path().getFileName() + ".roost-new-", ".tmp");
        FileChannel channel;
        try {
            channel = FileChannel.open(temp, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } finally {
            Files.deleteIfExists(temp);
        }
        try {
            var buffer = new byte[1 << 16];
            long at = 0;
            for (int n; (n = in.read(buffer)) > 0; at += n) {
                Rewriter.writeFully(channel, ByteBuffer.wrap(buffer, 0, n), at);
                observer.write(buffer, 0, n);
            }
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    // ---- writing ---------------------------------------------------------------------------------

    /**
     * A message spooled beside the mbox, unlocked, and measured as the mailbox will show it; {@link #commit}
     * appends it under the write locks through the journal.
     */
    private record Prepared(FileChannel channel, long size, long virtualSize, Instant internalDate)
            implements PreparedMessage {}

    @Override
    public PreparedMessage prepare(InputStream data, Instant internalDate) throws IOException {
        var measure = new MessageEncoder.Measure();
        var channel = spool(data, measure::feed);
        try {
            var size = measure.finish();
            return new Prepared(channel, size.size(), size.virtualSize(), internalDate.truncatedTo(ChronoUnit.SECONDS));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** mbox files cannot share bytes: a copy is written, read from {@code source} now, before any lock here. */
    @Override
    public PreparedMessage prepareCopy(MailboxStore source, StoredMessage message) throws IOException {
        try (var in = source.open(message)) {
            return prepare(in, message.internalDate());
        }
    }

    /** Appends every prepared message in one change of the file (one journal, one fsync), all or none. */
    @Override
    public List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException {
        var appends = new ArrayList<Rewriter.NewMessage>(additions.size());
        for (var addition : additions) {
            Keywords.check(addition.keywords());
            if (!(addition.message() instanceof Prepared prepared)) {
                throw new IllegalArgumentException("not prepared by an mbox mailbox: " + addition.message());
            }
            appends.add(new Rewriter.NewMessage(() -> new ChannelInputStream(prepared.channel()), addition.flags(),
                    addition.keywords(), prepared.internalDate()));
        }
        var appended = change(new HashMap<>(), Set.of(), appends).appended();
        var stored = new ArrayList<StoredMessage>(appended.size());
        for (int i = 0; i < appended.size(); i++) {
            stored.add(appended.get(i).stored(appends.get(i).date().getEpochSecond()));
        }
        return stored;
    }

    @Override
    public void discard(PreparedMessage prepared) {
        if (prepared instanceof Prepared p) {
            try {
                p.channel().close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: closing a spooled message failed ({1})", name,
                        e.getMessage());
            }
        }
    }

    @Override
    public StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException {
        var updated = setFlags(List.of(new FlagUpdate(message, flags, keywords)));
        if (updated.isEmpty()) {
            throw new MessageNotFoundException("message " + message.uid() + " is gone");
        }
        return updated.getFirst();
    }

    /** All flag changes in one rewrite: blocks written in place where they fit, one durable write. */
    @Override
    public List<StoredMessage> setFlags(List<FlagUpdate> updates) throws IOException {
        var changes = new LinkedHashMap<Long, Rewriter.FlagState>();
        for (var update : updates) {
            Keywords.check(update.keywords());
            changes.put(update.message().uid(), new Rewriter.FlagState(update.flags(), update.keywords()));
        }
        var c = change(changes, Set.of(), List.of()).contents();
        var updated = new ArrayList<StoredMessage>(changes.size());
        for (var update : updates) {
            int i = c.indexOf(update.message().uid());
            if (i >= 0 && changes.containsKey(update.message().uid())) {
                updated.add(c.messages().get(i).stored(update.message().internalDate().getEpochSecond()));
            }
        }
        return updated;
    }

    @Override
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        var uids = new HashSet<Long>();
        messages.forEach(m -> uids.add(m.uid()));
        change(new HashMap<>(), uids, List.of());
    }

    /**
     * Bytes and messages as clients see them, for a recount of the quota (the pseudo-message and the
     * bookkeeping headers count for nothing); reads the file only when it changed, and writes nothing.
     */
    QuotaUsage usage() throws IOException {
        var c = contents;
        if (c == null || !c.stamp().equals(FileStamp.of(file.path()))) {
            recoverIfInterrupted();
            c = file.readInTurn(this::synchronize);
        }
        long bytes = 0;
        for (var message : c.messages()) {
            bytes += message.found().size();
        }
        return new QuotaUsage(bytes, c.messages().size());
    }

    /** How many times the whole map was read (for tests). */
    long wholeMapReads() {
        return wholeMapReads.get();
    }

    /** How many times the file was looked at again because its stamp was not the one known (for tests). */
    long synchronizations() {
        return synchronizations.get();
    }

    /** How many times the file's time stamp was moved on after changes within one second (for tests). */
    long touches() {
        return touches.get();
    }

    /** How many times the map was written whole (for tests: a flag change in place writes over its entries). */
    long wholeMapWrites() {
        return wholeMapWrites.get();
    }

    /** How many pieces were read from where the map's entry said, before the first sync (for tests). */
    long mapLookups() {
        return mapLookups.get();
    }

    /** How many changes were written under the write locks (for tests: a STORE over a range is one). */
    long changesWritten() {
        return changes.get();
    }

    /** Lets go of the file (the mailbox was deleted or renamed). */
    void close() throws IOException {
        closed = true;
        file.close();
    }
}
