package org.roost.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.roost.mail.Keywords;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StorageException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.Admission;
import org.roost.storage.ChangeToken;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;
import org.roost.storage.files.DotLock;
import org.roost.storage.files.Durability;
import org.roost.storage.files.UidValidities;

/**
 * One Maildir folder served with Dovecot's bookkeeping: UIDs in {@code dovecot-uidlist},
 * keyword letters in {@code dovecot-keywords}, flags in the {@code :2,} suffix, internal date
 * as the file's mtime (as far as the file system holds it; the index keeps it exactly).
 * Mutations are serialized by a {@link ReentrantLock} (virtual threads would pin on
 * {@code synchronized}) and, against other processes, by Dovecot's lock files.
 */
final class MaildirMailbox implements MailboxStore {

    private static final System.Logger LOG = System.getLogger(MaildirMailbox.class.getName());
    static final String UIDLIST = "dovecot-uidlist";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Message files opened for reading by the Maildir mailboxes of this process (for tests). */
    private static final LongAdder MESSAGE_OPENS = new LongAdder();
    /** Files and directories stat'ed for change tokens and listings by this process (for tests). */
    private static final LongAdder STATS = new LongAdder();

    private final String name;
    private final Path dir;
    private final MessageDirectory files;
    private final KeywordFile keywords;
    private final UidListFile uidListFile;
    private final MaildirOptions options;
    private final Durability durability;
    private final UidValidities uidValidities;
    private final AppendJournal journal;
    private final ReentrantLock lock = new ReentrantLock();
    /** What {@link #changeToken} stats, resolved once: it runs for every mailbox of a LIST-STATUS. */
    private final Path newDir;
    private final Path keywordPath;
    /** The bookkeeping files' fingerprint and the folder's stamp it stands for (see {@link #metadataFingerprint}). */
    private volatile MetadataStamp metadataStamp;
    /** The uid list as last read or written; guarded by {@link #lock}. */
    private UidList uidList;

    MaildirMailbox(String name, Path dir, MaildirOptions options, UidValidities uidValidities) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new MailboxNotFoundException("mailbox does not exist: " + name);
        }
        this.name = name;
        this.dir = dir;
        this.options = options;
        this.durability = new Durability(options.fsync());
        this.files = new MessageDirectory(dir, durability);
        this.keywords = new KeywordFile(dir, options, durability);
        this.uidListFile = new UidListFile(dir.resolve(UIDLIST));
        this.newDir = dir.resolve("new");
        this.keywordPath = dir.resolve(KeywordFile.NAME);
        this.uidValidities = uidValidities;
        this.journal = new AppendJournal(dir, files.cur(), durability);
        files.createMissing();
        this.uidList = readUidListHeader();
    }

    /**
     * Only the header of dovecot-uidlist (UIDVALIDITY, next UID): opening a mailbox whose messages
     * an index already knows must not parse a uid list of a million lines. Every operation that
     * needs the records reads the list (through {@link UidListFile}) under its lock anyway.
     */
    private UidList readUidListHeader() throws IOException {
        try (var reader = Files.newBufferedReader(uidListFile.path(), java.nio.charset.StandardCharsets.ISO_8859_1)) {
            var first = reader.readLine();
            var header = UidList.parse(first == null ? "" : first, uidListFile.path().toString());
            if (header.uidValidity() != 0) {
                return header;
            }
        } catch (NoSuchFileException e) {
            // created by the full read below
        }
        return readUidList();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uidValidity() {
        lock.lock();
        try {
            return uidList.uidValidity();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long nextUid() {
        lock.lock();
        try {
            return uidList.nextUid();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Path indexDirectory() {
        return dir;
    }

    @Override
    public List<Path> watchedDirectories() {
        return List.of(dir.resolve("new"), files.cur());
    }

    /**
     * The {@code P} fields of dovecot-uidlist. The list is read whole here (cached by
     * {@link UidListFile} while the file is unchanged); a missing list has none.
     */
    @Override
    public Map<String, String> pop3Uidls() throws IOException {
        lock.lock();
        try {
            var list = uidListFile.read();
            if (list.isEmpty()) {
                return Map.of();
            }
            var uidls = new java.util.HashMap<String, String>();
            for (var entry : list.get().entries()) {
                var uidl = entry.extensions().get(UidList.POP3_UIDL);
                if (uidl != null && !uidl.isEmpty()) {
                    uidls.put(entry.key(), uidl);
                }
            }
            return Map.copyOf(uidls);
        } finally {
            lock.unlock();
        }
    }

    /** Closes the uid list kept open (its cached copy goes with it: without the open file, a change may go unseen). */
    @Override
    public boolean releaseFiles() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            uidListFile.invalidate();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The uid list header's GUID; a list without one (Dovecot's version 1, another program's) is given one. */
    @Override
    public String guid() throws IOException {
        lock.lock();
        try {
            var known = uidList.guid();
            if (known != null && !known.isEmpty()) {
                return known;
            }
            try (var uidLock = lockUidList()) {
                uidList = readUidList();
                uidList.giveGuid(newGuid());
                uidListFile.store(uidLock, uidList);
                return uidList.guid();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The {@code G} fields of dovecot-uidlist (see {@link #pop3Uidls()} for how the list is read). */
    @Override
    public Map<String, String> messageGuids() throws IOException {
        lock.lock();
        try {
            return uidListFile.read().map(UidList::guids).orElse(Map.of());
        } finally {
            lock.unlock();
        }
    }

    /** The message's GUID as Dovecot tells it: its {@code G} field, else its base name. */
    private String guidOf(StoredMessage message) throws IOException {
        return messageGuids().getOrDefault(message.key(), message.key());
    }

    /**
     * The seconds a Maildir base name starts with ({@code <seconds>.<unique>.<host>}): the time its file was
     * written here, which stays through renames (unlike the ctime Dovecot falls back to) and a lost index. A name
     * that states none has its internal date.
     */
    @Override
    public Instant saveDate(StoredMessage message) {
        var key = message.key();
        int dot = key.indexOf('.');
        if (dot < 1 || dot > 12) {
            return message.internalDate();
        }
        long seconds = 0;
        for (int i = 0; i < dot; i++) {
            char c = key.charAt(i);
            if (c < '0' || c > '9') {
                return message.internalDate();
            }
            seconds = seconds * 10 + (c - '0');
        }
        return Instant.ofEpochSecond(seconds);
    }

    // ---- change detection ------------------------------------------------------------------------

    /** Below this age a time stamp on a file system with nanosecond stamps may still be shared by a next change. */
    private static final long FINE_RACE_NANOS = 50_000_000L;
    /** File systems with whole-second stamps (ext3, some network file systems) need a longer wait. */
    private static final long COARSE_RACE_NANOS = 2_000_000_000L;

    /**
     * Stats new/, cur/ and the folder itself (and, when the folder's stamp moved, dovecot-uidlist and
     * dovecot-keywords): every delivery, rename, removal or UID assignment, by us, Dovecot or an MTA,
     * changes one of these (a modification time, a size, or the uid list's inode, which a rewrite
     * replaces by rename). Three stats for a folder nothing touched: a LIST-STATUS makes a thousand.
     */
    @Override
    public ChangeToken changeToken() throws IOException {
        long now = System.currentTimeMillis() * 1_000_000L;
        var newStat = stat(newDir);
        var curStat = stat(files.cur());
        // Only the directories need time to settle: a renamed-in file leaves their size and inode as
        // they were, while the uid list and keyword file grow or get a new inode with every change.
        boolean settled = Stat.settled(now, newStat, curStat);
        return new ChangeToken(newStat.fingerprint(), curStat.fingerprint(), metadataFingerprint(now), settled);
    }

    /**
     * The fingerprint of dovecot-uidlist and dovecot-keywords. Both are written only under a dot lock
     * beside them ({@link DotLock}, Dovecot's {@code file_dotlock}): creating and removing or renaming
     * {@code <file>.lock} stamps the folder directory after the write. So while the folder's stamp
     * stays as it was when the two were last stat'ed, and had settled by then, they are unchanged.
     * The folder is stat'ed before them: a write in between leaves a stamp that is already stale.
     */
    private long metadataFingerprint(long now) throws IOException {
        var folder = stat(dir);
        var known = metadataStamp;
        if (known != null && known.folder().equals(folder)) {
            return known.fingerprint();
        }
        long fingerprint = stat(uidListFile.path()).fingerprint() * 31 + stat(keywordPath).fingerprint();
        metadataStamp = Stat.settled(now, folder) ? new MetadataStamp(folder, fingerprint) : null;
        return fingerprint;
    }

    /** The fingerprint of the bookkeeping files, valid while the folder directory is stamped {@code folder}. */
    private record MetadataStamp(Stat folder, long fingerprint) {
    }

    /** What a change token needs of one file: mtime in nanoseconds, size and identity (size -1 when missing). */
    record Stat(long mtime, long size, int identity) {
        long fingerprint() {
            return (mtime * 31 + size) * 31 + identity;
        }

        /**
         * Whether directories stamped so at {@code now} (nanoseconds since the epoch) are old enough that no later
         * change can leave them stamped alike: only then does an unchanged stamp mean an unchanged directory.
         */
        static boolean settled(long now, Stat... directories) {
            long newest = 0;
            for (var d : directories) {
                newest = Math.max(newest, d.mtime);
            }
            return now - newest > (coarse(directories) ? COARSE_RACE_NANOS : FINE_RACE_NANOS);
        }

        private static boolean coarse(Stat... stats) {
            for (var s : stats) {
                if (s.size >= 0 && s.mtime % 1_000_000_000L != 0) {
                    return false;
                }
            }
            return true;
        }
    }

    /**
     * Asks without an exception for a missing file: most Maildirs have no dovecot-keywords, and this runs
     * after every command (two exceptions with their stack traces cost more than the four stats). The JDK
     * answers so only when it follows links; a link it cannot follow (a loop) is stamped as the link.
     */
    static Stat stat(Path path) throws IOException {
        STATS.increment();
        BasicFileAttributes a;
        try {
            a = path.getFileSystem().provider().readAttributesIfExists(path, BasicFileAttributes.class);
        } catch (FileSystemException unfollowable) {
            a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
        if (a == null) {
            return new Stat(0, -1, 0);
        }
        var key = a.fileKey();
        return new Stat(a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS), a.size(),
                key == null ? 0 : key.hashCode());
    }

    // ---- scan ------------------------------------------------------------------------------------

    @Override
    public List<StoredMessage> scan() throws IOException {
        return MailboxStore.collected(this);
    }

    /**
     * Hands out the messages under the lock, walking the uid list in UID order: the list and the
     * listing are the driver's own state anyway, so no message object outlives its call.
     */
    @Override
    public void scan(ScanConsumer consumer) throws IOException {
        lock.lock();
        try {
            var matched = synchronizeUids();
            var listing = matched.listing();
            consumer.expect(listing.size());
            var entries = uidList.entries();
            var scanned = new ScannedFile(uidList, entries, listing, keywords.read());
            for (int i = 0; i < entries.size(); i++) {
                int row = matched.rows()[i];
                if (row >= 0) {
                    consumer.accept(scanned.at(i, row));
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * A listing matched with the uid list: the listing row of each entry of {@link UidList#entries()}
     * (-1 for an entry without a file), and whether the uid list needs no update (every listed file
     * has a UID, and the list is undamaged).
     */
    private record Matched(Listing listing, int[] rows, boolean complete) {
    }

    /** Lists cur/ and brings the uid list up to date with it (called under the lock). */
    private Matched synchronizeUids() throws IOException {
        requireDirectory();
        files.moveNewToCur();
        var listing = files.list();
        uidList = readUidList();
        var matched = match(listing);
        if (matched.complete()) {
            return matched;
        }
        try (var uidLock = lockUidList()) {
            // Under the lock nobody else assigns UIDs: list (unless cur/ provably stayed as
            // listed: a million files take seconds) and read again, then assign.
            files.moveNewToCur();
            uidList = readUidList();
            if (journal.recover(key -> uidList.get(key).isPresent()) || !files.unchangedSinceListing()) {
                listing = files.list();
            }
            matched = updated(match(listing));
            uidListFile.store(uidLock, uidList);
            return matched;
        }
    }

    /** One lookup per uid list entry (a million of them in a large folder), as bytes: no name parsed, no key made. */
    private Matched match(Listing listing) {
        var rows = new int[uidList.entries().size()];
        int found = 0;
        for (int i = 0; i < rows.length; i++) {
            rows[i] = uidList.listedRow(listing, i);
            if (rows[i] >= 0) {
                found++;
            }
        }
        return new Matched(listing, rows, found == listing.size() && !uidList.damaged());
    }

    /** A mailbox deleted or renamed underneath an open store reports itself as gone. */
    private void requireDirectory() throws MailboxNotFoundException {
        if (!files.exists()) {
            throw new MailboxNotFoundException("mailbox no longer exists: " + name);
        }
    }

    /**
     * Brings the uid list up to date with the listing it was {@code matched} with (called under the
     * uid list's lock): drops the entries whose file is gone, then gives the files without an entry
     * UIDs in delivery order. The new match is made from the old one, since the entries that stay
     * keep their order and the new ones follow them: a million files are not looked up again.
     */
    private Matched updated(Matched matched) throws IOException {
        var listing = matched.listing();
        var entries = List.copyOf(uidList.entries());
        var rows = matched.rows();
        var gone = vanished(entries, rows);
        gone.forEach(uidList::remove);
        var unknown = unknownFiles(listing, rows);
        boolean renumbered = !uidList.hasRoomFor(unknown.length);
        if (renumbered) {
            LOG.log(System.Logger.Level.WARNING, "{0}: UIDs exhausted, renumbering under a new UIDVALIDITY", name);
            uidList = uidList.renumbered(uidValidities.next());
        }
        uidList.assignKeysOf(listing, unknown);
        if (renumbered) {
            return match(listing);
        }
        var updated = new int[entries.size() - gone.size() + unknown.length];
        int n = 0;
        for (int i = 0; i < entries.size(); i++) {
            if (rows[i] >= 0 || !gone.contains(entries.get(i).key())) {
                updated[n++] = rows[i];
            }
        }
        System.arraycopy(unknown, 0, updated, n, unknown.length);
        return new Matched(listing, updated, true);
    }

    /**
     * The keys of entries whose file is gone. A readdir racing with another process's flag rename may
     * miss a file, so an entry goes only when a second listing misses it too; a stale entry is
     * harmless, a dropped live one would give the message a new UID.
     */
    private Set<String> vanished(List<UidList.Entry> entries, int[] rows) throws IOException {
        var candidates = new ArrayList<String>();
        for (int i = 0; i < entries.size(); i++) {
            if (rows[i] < 0) {
                candidates.add(entries.get(i).key());
            }
        }
        if (candidates.isEmpty()) {
            return Set.of();
        }
        var again = files.listOnce();
        return candidates.stream().filter(key -> !again.contains(key)).collect(Collectors.toSet());
    }

    /** The listing's rows that no entry of the uid list matched, in delivery order. */
    private static int[] unknownFiles(Listing listing, int[] matchedRows) {
        var known = new boolean[listing.size()];
        int knownCount = 0;
        for (int row : matchedRows) {
            if (row >= 0) {
                known[row] = true;
                knownCount++;
            }
        }
        var unknown = new int[listing.size() - knownCount];
        for (int row = 0, n = 0; n < unknown.length; row++) {
            if (!known[row]) {
                unknown[n++] = row;
            }
        }
        return DeliveryOrder.sorted(listing, unknown);
    }

    /**
     * The message of a uid list entry and its listed file, read in place for a streamed scan, and reused
     * from one to the next. A scan neither reads nor (as a rule, see {@link MessageDirectory#listOnce})
     * stats a message file: a million reads take minutes, a million stats seconds. So the internal date
     * and the sizes are known only where the listing stat'ed the files (the physical size is the file's,
     * the virtual size the one the bookkeeping states, if believable); otherwise they are unknown, and
     * the index looks them up ({@link #stat}, then reading) when a command first needs them. The key is
     * the entry's and the flags are the listing's: a scan does not parse a million names (their sizes
     * matter only beside a stat'ed file's size).
     */
    private static final class ScannedFile implements MailboxStore.ScanRow {
        private final UidList uids;
        private final List<UidList.Entry> entries;
        private final Listing listing;
        private final KeywordTable table;
        private int index;
        private int row;

        ScannedFile(UidList uids, List<UidList.Entry> entries, Listing listing, KeywordTable table) {
            this.uids = uids;
            this.entries = entries;
            this.listing = listing;
            this.table = table;
        }

        /** This, as the entry at {@code index} of the uid list's entries, whose file is the listing's {@code row}. */
        ScannedFile at(int index, int row) {
            this.index = index;
            this.row = row;
            return this;
        }

        @Override
        public long uid() {
            return uids.uidAt(index);
        }

        @Override
        public Set<SystemFlag> flags() {
            return listing.flags(row);
        }

        @Override
        public Set<String> keywords() {
            return KeywordFile.names(table, listing.keywordIndexes(row));
        }

        @Override
        public Instant internalDate() {
            return listing.modified(row);
        }

        @Override
        public long physicalSize() {
            return listing.size(row);
        }

        @Override
        public long virtualSize() {
            long size = listing.size(row);
            return size == StoredMessage.UNKNOWN_SIZE ? StoredMessage.UNKNOWN_SIZE
                    : statedVirtualSize(MaildirFileName.parse(listing.fileName(row)), entries.get(index), size);
        }

        @Override
        public String key() {
            return uids.keyAt(index);
        }

        @Override
        public int keyLength() {
            return uids.keyLengthAt(index);
        }

        @Override
        public void putKey(ByteBuffer out) {
            uids.putKeyAt(index, out);
        }
    }

    /**
     * RFC822.SIZE as the bookkeeping states it: Dovecot's {@code W=} in the name, else the uid list's
     * {@code W} field. Names are written by other programs and may lie, so a stated size is believed
     * only when it fits the file on disk: the same source's physical size, if it states one, is the
     * file's, and the virtual size lies between the file's size (CRLF line ends throughout) and twice
     * it (a file of bare LFs). Anything else is {@link StoredMessage#UNKNOWN_SIZE}: measured, exactly,
     * by reading the file when a command needs it.
     */
    static long statedVirtualSize(MaildirFileName name, UidList.Entry entry, long fileSize) {
        if (fileSize == StoredMessage.UNKNOWN_SIZE) {
            return StoredMessage.UNKNOWN_SIZE;
        }
        long fromName = believable(name.size(), name.virtualSize(), fileSize);
        return fromName != StoredMessage.UNKNOWN_SIZE ? fromName
                : believable(entry.longExtension('S'), entry.longExtension('W'), fileSize);
    }

    private static long believable(OptionalLong size, OptionalLong virtualSize, long fileSize) {
        if (virtualSize.isEmpty() || size.isPresent() && size.getAsLong() != fileSize) {
            return StoredMessage.UNKNOWN_SIZE;
        }
        long stated = virtualSize.getAsLong();
        return stated >= fileSize && stated <= 2 * fileSize ? stated : StoredMessage.UNKNOWN_SIZE;
    }

    // ---- reading ---------------------------------------------------------------------------------

    /** Opens the message's file where {@link #onFile} finds it. */
    @Override
    public InputStream open(StoredMessage message) throws IOException {
        MESSAGE_OPENS.increment();
        return Channels.newInputStream(onFile(message, MaildirMailbox::openFile));
    }

    /**
     * The mtime (the internal date, as Dovecot keeps it) and size of the message's file, and the
     * virtual size its name or uid list entry states if that fits the file (the uid list's only when
     * this process has read the whole list since it opened). One stat, found as {@link #open} finds it.
     */
    @Override
    public StoredMessage stat(StoredMessage message) throws IOException {
        return onFile(message, file -> stated(message, file));
    }

    private StoredMessage stated(StoredMessage message, Path file) throws IOException {
        var attributes = FileStats.of(file);
        if (!attributes.isRegularFile()) {
            throw new MessageNotFoundException("not a message file: " + file.getFileName());
        }
        long size = attributes.size();
        return message.withFacts(new StoredMessage(message.uid(), message.key(), message.flags(), message.keywords(),
                attributes.lastModifiedTime().toInstant(), size,
                statedVirtualSize(MaildirFileName.parse(file.getFileName().toString()), uidEntry(message.key()), size)));
    }

    private UidList.Entry uidEntry(String key) {
        lock.lock();
        try {
            return uidList.get(key).orElse(new UidList.Entry(0, key, Map.of()));
        } finally {
            lock.unlock();
        }
    }

    /**
     * An open file stays readable after its name is removed (POSIX), so holding a message is
     * keeping its file open: nothing is left on disk to clean up after a crash. What its file tells
     * is looked up now, while it still has a name.
     */
    @Override
    public HeldMessage hold(StoredMessage message) throws IOException {
        return onFile(message, file -> {
            var channel = openFile(file);
            try {
                return new HeldFile(channel, message.fileStatusKnown() ? message : stated(message, file));
            } catch (NoSuchFileException renamedSinceOpened) {
                return new HeldFile(channel, message);
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
        });
    }

    private static FileChannel openFile(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    /** Something done with a message's file, failing with {@link NoSuchFileException} when it is not there. */
    private interface FileOperation<T> {
        T apply(Path file) throws IOException;
    }

    /**
     * Does {@code operation} on the message's file under the name this process last saw or gave it,
     * else under the names its flags imply, and lists cur/ only when none is there: reaching one
     * message of a large folder costs no listing. The lock covers the name lookup, not the file
     * system, so that messages are reached side by side. Symbolic links are not followed: a message
     * is a file in the folder.
     */
    private <T> T onFile(StoredMessage message, FileOperation<T> operation) throws IOException {
        for (var fileName : likelyNames(message)) {
            try {
                return operation.apply(files.cur().resolve(fileName));
            } catch (NoSuchFileException renamedMeanwhile) {
                // the next name, then a listing
            }
        }
        return operation.apply(relocate(message.key()));
    }

    /** Reads an open file at positions of its own per stream, so that streams do not disturb each other. */
    private record HeldFile(FileChannel channel, StoredMessage stated) implements HeldMessage {
        @Override
        public InputStream open() {
            return new InputStream() {
                private long position;

                @Override
                public int read() throws IOException {
                    var one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (len == 0) {
                        return 0;
                    }
                    int n = channel.read(ByteBuffer.wrap(b, off, len), position);
                    if (n > 0) {
                        position += n;
                    }
                    return n;
                }
            };
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** How many message files were opened for reading, by every Maildir mailbox of this process (for tests). */
    static long messageOpens() {
        return MESSAGE_OPENS.sum();
    }

    /** How many stats {@link #stat} made in this process. */
    static long stats() {
        return STATS.sum();
    }

    private List<String> likelyNames(StoredMessage message) throws IOException {
        lock.lock();
        try {
            var remembered = files.rememberedName(message.key());
            return remembered != null ? List.of(remembered) : impliedNames(message);
        } finally {
            lock.unlock();
        }
    }

    /** How many times cur/ was read since this store was opened (for tests). */
    int directoryListings() {
        return files.listings();
    }

    /** The current path of a message's file. */
    private Path locate(StoredMessage message) throws IOException {
        lock.lock();
        try {
            rememberImpliedName(message);
            return files.locate(message.key());
        } finally {
            lock.unlock();
        }
    }

    /**
     * When this process has not listed cur/ since the message was last seen (an index opened the
     * mailbox without a listing), tries the names its flags imply, so that reaching one message
     * does not cost a listing of the whole folder. Called under the lock.
     */
    private void rememberImpliedName(StoredMessage message) throws IOException {
        if (files.remembers(message.key())) {
            return;
        }
        for (var candidate : impliedNames(message)) {
            if (Files.isRegularFile(files.cur().resolve(candidate), LinkOption.NOFOLLOW_LINKS)) {
                files.remember(message.key(), candidate);
                return;
            }
        }
    }

    /**
     * The name a message's flags imply (its letters sorted, as written here and by Dovecot), then its
     * bare key. Called under the lock.
     */
    private List<String> impliedNames(StoredMessage message) throws IOException {
        if (!MaildirFileName.isPlausibleKey(message.key())) {
            return List.of();
        }
        var indexes = new TreeSet<Integer>();
        if (!message.keywords().isEmpty()) {
            var table = keywords.read();
            message.keywords().forEach(keyword -> table.indexOf(keyword).ifPresent(indexes::add));
        }
        return List.of(new MaildirFileName(message.key(), "").withFlags(message.flags(), indexes).fileName(),
                message.key());
    }

    private Path relocate(String key) throws IOException {
        lock.lock();
        try {
            return files.relocate(key);
        } finally {
            lock.unlock();
        }
    }

    // ---- append ----------------------------------------------------------------------------------

    /**
     * A message waiting in tmp/ ({@code owned}: written by {@link #prepare}, removed by {@link #discard}), or
     * another mailbox's file to link to.
     */
    private record Prepared(Path file, boolean owned, long size, long virtualSize, Instant internalDate, String guid)
            implements PreparedMessage {}

    @Override
    public PreparedMessage prepare(InputStream data, Instant internalDate) throws IOException {
        requireDirectory();
        var written = files.writeToTmp(data, internalDate);
        return new Prepared(written.path(), true, written.sizes().size(), written.sizes().virtualSize(),
                MessageDirectory.truncatedToSeconds(internalDate), null);
    }

    @Override
    public PreparedMessage prepareCopy(MailboxStore source, StoredMessage message) throws IOException {
        if (source instanceof MaildirMailbox maildir) {
            return new Prepared(maildir.locate(message), false, message.physicalSize(), message.virtualSize(),
                    message.internalDate(), maildir.guidOf(message));
        }
        try (var in = source.open(message)) {
            return prepare(in, message.internalDate());
        }
    }

    @Override
    public void discard(PreparedMessage prepared) {
        if (prepared instanceof Prepared p && p.owned()) {
            try {
                Files.deleteIfExists(p.file());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot remove {0}: {1}", p.file(), e.getMessage());
            }
        }
    }

    /**
     * Links every prepared file into cur/ under a new name (a message written here keeps its tmp/ file until
     * {@link #discard}, so that a failed commit can be tried again), then gives them UIDs in one uid list
     * update: one directory fsync and one uid list write for all. On any failure none of them stays.
     */
    @Override
    public List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException {
        return commit(additions, false);
    }

    /** {@link #commit} with an {@link AppendJournal} when there are several, so that a crash leaves none of them. */
    @Override
    public List<StoredMessage> commitTogether(List<PreparedMessage.Addition> additions) throws IOException {
        return commit(additions, additions.size() > 1);
    }

    /**
     * Links the files like any commit, but under the UIDs and UIDVALIDITY the other store gave them. The save dates
     * are not taken: a Maildir's are its files' names, given when {@link #prepare} wrote them.
     */
    @Override
    public void commitUnder(long uidValidity, long uidNext, long[] uids, List<Instant> saveDates,
            List<PreparedMessage.Addition> additions) throws IOException {
        commit(additions, additions.size() > 1, new ForeignUids(uidValidity, uidNext, uids));
    }

    /** UIDs another store gave ({@link #commitUnder}); without them the uid list assigns new ones. */
    private record ForeignUids(long uidValidity, long uidNext, long[] uids) {}

    private List<StoredMessage> commit(List<PreparedMessage.Addition> additions, boolean journaled)
            throws IOException {
        return commit(additions, journaled, null);
    }

    private List<StoredMessage> commit(List<PreparedMessage.Addition> additions, boolean journaled,
            ForeignUids foreign) throws IOException {
        for (var addition : additions) {
            Keywords.check(addition.keywords());
        }
        lock.lock();
        try {
            requireDirectory();
            var indexes = new ArrayList<Set<Integer>>(additions.size());
            for (var addition : additions) {
                indexes.add(keywords.indexesFor(addition.keywords()));
            }
            return linkAll(additions, indexes, journaled, foreign);
        } finally {
            lock.unlock();
        }
    }

    private List<StoredMessage> linkAll(List<PreparedMessage.Addition> additions, List<Set<Integer>> indexes,
            boolean journaled, ForeignUids foreign) throws IOException {
        var created = new ArrayList<Path>();
        var stored = new ArrayList<StoredMessage>(additions.size());
        try (var uidLock = lockUidList()) {
            uidList = readUidList();
            if (foreign != null) {
                adopt(foreign);
            }
            journal.recover(key -> uidList.get(key).isPresent()); // before its journal is overwritten
            requireRoomFor(additions.size());
            var names = new LinkedHashMap<String, String>();
            for (int i = 0; i < additions.size(); i++) {
                var prepared = (Prepared) additions.get(i).message();
                var base = UniqueNames.next(prepared.size(), prepared.virtualSize());
                names.put(base, new MaildirFileName(base, "").withFlags(additions.get(i).flags(), indexes.get(i))
                        .fileName());
            }
            if (journaled) {
                journal.begin(names);
            }
            int i = 0;
            for (var name : names.entrySet()) {
                var addition = additions.get(i);
                var prepared = (Prepared) addition.message();
                var target = files.cur().resolve(name.getValue());
                link(prepared, target);
                created.add(target);
                var entry = foreign == null ? uidList.assign(name.getKey(), guidField(prepared))
                        : new UidList.Entry(foreign.uids()[i], name.getKey(), guidField(prepared));
                if (foreign != null) {
                    uidList.put(entry);
                }
                stored.add(new StoredMessage(entry.uid(), name.getKey(),
                        addition.flags(), keywords.names(indexes.get(i)), prepared.internalDate(), prepared.size(),
                        prepared.virtualSize()));
                i++;
            }
            if (journaled) {
                // the uid list is the commit point: every name it gives must be durable before it
                durability.syncDirectory(files.cur());
                uidListFile.store(uidLock, uidList);
                journal.end();
            } else {
                // The new names in cur/ and the uid list are made durable side by side.
                var directory = durability.syncDirectoryAside(files.cur());
                uidListFile.store(uidLock, uidList);
                directory.await();
            }
            names.forEach(files::remember);
            return stored;
        } catch (IOException | RuntimeException e) {
            // Refused, so not there: a client (or an MTA) that tries again must not find it twice.
            for (var path : created) {
                Files.deleteIfExists(path);
            }
            if (journaled) {
                journal.end();
            }
            uidListFile.invalidate();
            throw e;
        }
    }

    /**
     * A copy keeps its source's GUID in a {@code G} field, as Dovecot's copies do, so that RFC 8474's EMAILID
     * travels with it. A GUID that a field cannot hold (a base name with white space) is not kept.
     */
    /** The uid list takes the other store's UIDVALIDITY (while it holds no message) and its UIDNEXT. */
    private void adopt(ForeignUids foreign) throws StorageException {
        if (uidList.uidValidity() != foreign.uidValidity()) {
            if (!uidList.isEmpty()) {
                throw new StorageException("mailbox " + name + " holds messages under UIDVALIDITY "
                        + uidList.uidValidity() + ", not " + foreign.uidValidity());
            }
            uidList.resetValidity(foreign.uidValidity(), newGuid());
        }
        long above = foreign.uidNext();
        for (long uid : foreign.uids()) {
            above = Math.max(above, uid + 1);
        }
        uidList.raiseNextUid(above);
    }

    private static Map<Character, String> guidField(Prepared prepared) {
        var guid = prepared.guid();
        return guid == null || guid.isEmpty() || guid.chars().anyMatch(c -> c <= ' ')
                ? Map.of() : Map.of(UidList.GUID, guid);
    }

    /**
     * Same inode where the file system allows: same bytes and mtime, hence the same internal date. A copy
     * keeps the date known, else (a date not looked up yet) the source's mtime, which is that date.
     */
    private void link(Prepared prepared, Path target) throws IOException {
        if (MessageDirectory.hardLink(prepared.file(), target)) {
            return;
        }
        if (prepared.owned()) {
            MessageDirectory.moveNoReplace(prepared.file(), target);
            return;
        }
        var date = prepared.internalDate().equals(StoredMessage.UNKNOWN_DATE)
                ? Files.getLastModifiedTime(prepared.file()).toInstant() : prepared.internalDate();
        try (var in = Files.newInputStream(prepared.file())) {
            var written = files.writeToTmp(in, date);
            MessageDirectory.moveNoReplace(written.path(), target);
        }
    }

    // ---- flags -----------------------------------------------------------------------------------

    @Override
    public StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywordNames)
            throws IOException {
        var updated = setFlags(List.of(new FlagUpdate(message, flags, keywordNames)));
        if (updated.isEmpty()) {
            throw new MessageNotFoundException(message.key());
        }
        return updated.getFirst();
    }

    /**
     * Renames each message's file to carry its new flags, then makes {@code cur/} durable once for all of them:
     * a STORE over a range costs one directory fsync, not one per message.
     */
    @Override
    public List<StoredMessage> setFlags(List<FlagUpdate> updates) throws IOException {
        for (var update : updates) {
            Keywords.check(update.keywords());
        }
        lock.lock();
        try {
            var indexes = new ArrayList<Set<Integer>>(updates.size());
            for (var update : updates) { // every keyword numbered before any file is renamed: all or nothing
                indexes.add(keywords.indexesFor(update.keywords()));
            }
            var updated = new ArrayList<StoredMessage>(updates.size());
            boolean renamed = false;
            for (int i = 0; i < updates.size(); i++) {
                var message = updates.get(i).message();
                var flags = updates.get(i).flags();
                try {
                    renamed |= renameForFlags(message, flags, indexes.get(i));
                    updated.add(new StoredMessage(message.uid(), message.key(), flags, keywords.names(indexes.get(i)),
                            message.internalDate(), message.physicalSize(), message.virtualSize()));
                } catch (MessageNotFoundException gone) {
                    // expunged meanwhile: left out
                }
            }
            if (renamed) {
                durability.syncDirectory(files.cur());
            }
            return updated;
        } finally {
            lock.unlock();
        }
    }

    /** Renames the message's file to the name its flags make; whether its name changed. */
    private boolean renameForFlags(StoredMessage message, Set<SystemFlag> flags, Set<Integer> indexes)
            throws IOException {
        rememberImpliedName(message);
        for (int attempt = 0; attempt < MessageDirectory.LISTING_ATTEMPTS; attempt++) {
            var from = files.locate(message.key());
            var renamed = MaildirFileName.parse(from.getFileName().toString()).withFlags(flags, indexes);
            var to = files.cur().resolve(renamed.fileName());
            try {
                boolean moves = !from.equals(to);
                if (moves) {
                    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                }
                files.remember(message.key(), renamed.fileName());
                return moves;
            } catch (NoSuchFileException renamedElsewhere) {
                files.forget(message.key());
            }
        }
        throw new StorageException("message keeps being renamed by another process: " + message.key());
    }

    // ---- expunge ---------------------------------------------------------------------------------

    @Override
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            for (var message : messages) {
                rememberImpliedName(message);
                deleteFile(message.key());
            }
            durability.syncDirectory(files.cur());
            try (var uidLock = lockUidList()) {
                uidList = readUidList();
                messages.forEach(message -> uidList.remove(message.key()));
                uidListFile.store(uidLock, uidList);
            }
        } finally {
            lock.unlock();
        }
    }

    private void deleteFile(String key) throws IOException {
        for (int attempt = 0; attempt < MessageDirectory.LISTING_ATTEMPTS; attempt++) {
            try {
                Files.delete(files.locate(key));
                files.forget(key);
                return;
            } catch (MessageNotFoundException alreadyGone) {
                return;
            } catch (NoSuchFileException renamedMeanwhile) {
                files.forget(key);
            }
        }
    }

    // ---- copy ------------------------------------------------------------------------------------

    @Override
    public List<StoredMessage> copyTo(MailboxStore target, List<StoredMessage> sources, Admission admission)
            throws IOException {
        var messages = withFileStatus(sources);
        admission.admitCopies(messages);
        if (target instanceof MaildirMailbox maildir) {
            return maildir.receiveCopies(this, messages);
        }
        var copies = new ArrayList<StoredMessage>(messages.size());
        for (var message : messages) {
            try (var in = open(message)) {
                copies.add(target.append(in, message.flags(), message.keywords(), message.internalDate()));
            }
        }
        return copies;
    }

    /**
     * The messages with their dates and sizes on disk, looked up where the listing left them unknown: the
     * quota counts those bytes, and a copy into another format needs the date.
     */
    private List<StoredMessage> withFileStatus(List<StoredMessage> messages) throws IOException {
        var known = new ArrayList<StoredMessage>(messages.size());
        for (var message : messages) {
            known.add(message.fileStatusKnown() ? message : stat(message));
        }
        return known;
    }

    /**
     * Links each source file into cur/ (see {@link #commit}). The source's lock is never taken while this one
     * is held, so two copies in opposite directions cannot deadlock; a source renamed meanwhile makes the
     * whole copy start over.
     */
    private List<StoredMessage> receiveCopies(MaildirMailbox source, List<StoredMessage> messages) throws IOException {
        for (int attempt = 0; attempt < MessageDirectory.LISTING_ATTEMPTS; attempt++) {
            var additions = new ArrayList<PreparedMessage.Addition>(messages.size());
            for (var message : messages) {
                additions.add(new PreparedMessage.Addition(prepareCopy(source, message), message.flags(),
                        message.keywords()));
            }
            try {
                return commit(additions);
            } catch (NoSuchFileException renamedMeanwhile) {
                LOG.log(System.Logger.Level.DEBUG, "copy source renamed meanwhile, retrying");
            }
        }
        throw new StorageException("copy sources keep being renamed by another process");
    }

    // ---- rename of INBOX -------------------------------------------------------------------------

    /**
     * Moves every message, with its UID, into the empty mailbox {@code target} (which has its own,
     * newer UIDVALIDITY, so keeping the UIDs is safe). This mailbox keeps its UIDVALIDITY and
     * next UID, so no UID is ever reused here. The target's uid list is written before any file
     * moves: a crash in between leaves each message in one of the two places with a UID.
     */
    void moveAllTo(MaildirMailbox target) throws IOException {
        lock.lock();
        target.lock.lock();
        try (var uidLock = lockUidList()) {
            files.moveNewToCur();
            var listing = files.list();
            uidList = readUidList();
            updated(match(listing));
            keywords.copyTo(target.keywords);   // the letters in the names refer to it
            try (var targetLock = target.lockUidList()) {
                var moved = new UidList(target.readUidList().uidValidity(), uidList.nextUid(), newGuid());
                listing.forEach(file -> uidList.get(file.key()).ifPresent(moved::put));
                target.uidListFile.store(targetLock, moved);
                target.uidList = moved;
            }
            for (var file : listing) {
                try {
                    MessageDirectory.moveNoReplace(files.cur().resolve(file.fileName()),
                            target.files.cur().resolve(file.fileName()));
                } catch (NoSuchFileException expungedMeanwhile) {
                    LOG.log(System.Logger.Level.DEBUG, "message vanished during INBOX rename");
                }
                uidList.remove(file.key());
            }
            durability.syncDirectory(target.files.cur());
            durability.syncDirectory(files.cur());
            uidListFile.store(uidLock, uidList);
            files.forgetAll();
        } finally {
            target.lock.unlock();
            lock.unlock();
        }
    }

    // ---- uid list --------------------------------------------------------------------------------

    private void requireRoomFor(int count) throws StorageException {
        if (!uidList.hasRoomFor(count)) {
            throw new StorageException("the mailbox has used up its UIDs; it must be recreated");
        }
    }

    /**
     * Reads dovecot-uidlist. A missing list is created with a new UIDVALIDITY; a headless one gets
     * a new UIDVALIDITY (written at the next update) while its surviving records keep their UIDs,
     * which is safe under a new UIDVALIDITY.
     */
    private UidList readUidList() throws IOException {
        var list = uidListFile.read();
        if (list.isEmpty()) {
            return createUidList();
        }
        if (list.get().uidValidity() == 0) {
            list.get().resetValidity(uidValidities.next(), newGuid());
        }
        return list.get();
    }

    private UidList createUidList() throws IOException {
        try (var uidLock = lockUidList()) {
            var existing = uidListFile.read();
            if (existing.isPresent()) {
                return existing.get();
            }
            var list = new UidList(uidValidities.next(), 1, newGuid());
            uidListFile.store(uidLock, list);
            return list;
        }
    }

    /**
     * Dovecot's uid list lock. Released without a write (a failure, or nothing to do), it drops
     * the cached list, which may have run ahead of the file.
     */
    private DotLock lockUidList() throws IOException {
        return DotLock.acquire(uidListFile.path(), options, durability, uidListFile::invalidate);
    }

    /** A mailbox GUID as Dovecot writes it in the uid list header: 128 random bits in hex. */
    static String newGuid() {
        var bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
