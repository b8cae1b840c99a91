package org.roost.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.SystemFlag;
import org.roost.storage.InvalidKeywordException;
import org.roost.storage.MailboxNotFoundException;
import org.roost.storage.MailboxStore;
import org.roost.storage.MessageNotFoundException;
import org.roost.storage.StorageException;
import org.roost.storage.StoredMessage;

/**
 * One Maildir folder served with Dovecot's bookkeeping: UIDs in {@code dovecot-uidlist},
 * keyword letters in {@code dovecot-keywords}, flags in the {@code :2,} suffix, internal date
 * as the file's mtime. Mutations are serialized by a {@link ReentrantLock} (virtual threads
 * would pin on {@code synchronized}) and, against other processes, by Dovecot's lock files.
 */
final class MaildirMailbox implements MailboxStore {

    private static final System.Logger LOG = System.getLogger(MaildirMailbox.class.getName());
    static final String UIDLIST = "dovecot-uidlist";
    static final String KEYWORDS = "dovecot-keywords";
    private static final int LISTING_ATTEMPTS = 5;

    private final String name;
    private final Path dir;
    private final Path cur;
    private final Path newDir;
    private final Path tmp;
    private final MaildirOptions options;
    private final Durability durability;
    private final UidValidities uidValidities;
    private final ReentrantLock lock = new ReentrantLock();

    private UidList uidList;
    /** Current file name in cur/ of each key, as last seen. */
    private final Map<String, String> fileNames = new HashMap<>();

    /** A file in cur/: its name, parsed, and its attributes. */
    private record Listed(String fileName, MaildirFileName parsed, BasicFileAttributes attributes) {
    }

    MaildirMailbox(String name, Path dir, MaildirOptions options, UidValidities uidValidities) throws IOException {
        this.name = name;
        this.dir = dir;
        this.cur = dir.resolve("cur");
        this.newDir = dir.resolve("new");
        this.tmp = dir.resolve("tmp");
        this.options = options;
        this.durability = new Durability(options.fsync());
        this.uidValidities = uidValidities;
        if (!Files.isDirectory(dir)) {
            throw new MailboxNotFoundException("mailbox does not exist: " + name);
        }
        Files.createDirectories(cur);
        Files.createDirectories(newDir);
        Files.createDirectories(tmp);
        this.uidList = readUidList();
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

    Path directory() {
        return dir;
    }

    // ---- scan ------------------------------------------------------------------------------

    @Override
    public List<StoredMessage> scan() throws IOException {
        lock.lock();
        try {
            requireDirectory();
            moveNewToCur();
            var listing = listCur();
            uidList = readUidList();
            if (needsUidListUpdate(listing)) {
                try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
                    // Under the lock nobody else assigns UIDs: list and read again, then assign.
                    moveNewToCur();
                    listing = listCur();
                    uidList = readUidList();
                    var missingSizes = assignUids(listing);
                    dropVanished(listing);
                    uidLock.replace(uidList.format());
                    rememberSizes(missingSizes);
                }
            }
            return messagesOf(listing);
        } finally {
            lock.unlock();
        }
    }

    /** A mailbox deleted or renamed underneath an open store reports itself as gone. */
    private void requireDirectory() throws MailboxNotFoundException {
        if (!Files.isDirectory(cur)) {
            throw new MailboxNotFoundException("mailbox no longer exists: " + name);
        }
    }

    private boolean needsUidListUpdate(Map<String, Listed> listing) {
        for (var entry : listing.entrySet()) {
            var known = uidList.get(entry.getKey());
            if (known.isEmpty() || !hasSizes(entry.getValue().parsed(), known.get())) {
                return true;
            }
        }
        return uidList.damaged();
    }

    private static boolean hasSizes(MaildirFileName parsed, UidList.Entry entry) {
        return (parsed.virtualSize().isPresent() || entry.longExtension('W').isPresent())
                && (parsed.size().isPresent() || entry.longExtension('S').isPresent());
    }

    /** Gives UIDs to unknown files in a stable order; returns keys whose sizes must be measured. */
    private List<String> assignUids(Map<String, Listed> listing) throws IOException {
        var unknown = new ArrayList<Listed>();
        var missingSizes = new ArrayList<String>();
        for (var listed : listing.values()) {
            var known = uidList.get(listed.parsed().base());
            if (known.isEmpty()) {
                unknown.add(listed);
            } else if (!hasSizes(listed.parsed(), known.get())) {
                missingSizes.add(listed.parsed().base());
            }
        }
        unknown.sort(Comparator.comparing((Listed l) -> l.parsed().base(), DeliveryOrder.COMPARATOR));
        if (!uidList.hasRoomFor(unknown.size())) {
            LOG.log(System.Logger.Level.WARNING, "{0}: UIDs exhausted, renumbering under a new UIDVALIDITY", dir);
            dropVanished(listing);
            uidList = uidList.renumbered(uidValidities.next());
        }
        for (var listed : unknown) {
            uidList.assign(listed.parsed().base(), Map.of());
            if (!hasSizes(listed.parsed(), uidList.get(listed.parsed().base()).orElseThrow())) {
                missingSizes.add(listed.parsed().base());
            }
        }
        return missingSizes;
    }

    /** Entries whose file is gone (listing made under the uid list lock, so it is complete). */
    private void dropVanished(Map<String, Listed> listing) {
        for (var key : uidList.keys()) {
            if (!listing.containsKey(key)) {
                uidList.remove(key);
            }
        }
    }

    /**
     * Measures messages whose names carry no sizes (e.g. Courier's), once, and keeps the result
     * in the uid list as Dovecot does ({@code S<size> W<vsize>}).
     */
    private void rememberSizes(List<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        var measured = new LinkedHashMap<String, MessageSizes>();
        for (var key : keys) {
            var fileName = fileNames.get(key);
            try {
                measured.put(key, MessageSizes.of(cur.resolve(fileName)));
            } catch (NoSuchFileException gone) {
                // expunged meanwhile; the next scan drops it
            }
        }
        try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
            uidList = readUidList();
            measured.forEach((key, sizes) -> uidList.get(key).ifPresent(entry -> uidList.put(
                    entry.withExtension('S', Long.toString(sizes.size()))
                            .withExtension('W', Long.toString(sizes.virtualSize())))));
            uidLock.replace(uidList.format());
        }
    }

    private List<StoredMessage> messagesOf(Map<String, Listed> listing) throws IOException {
        var keywords = readKeywords();
        var messages = new ArrayList<StoredMessage>(listing.size());
        for (var listed : listing.values()) {
            var entry = uidList.get(listed.parsed().base());
            entry.ifPresent(e -> messages.add(toMessage(e, listed.parsed(), listed.attributes(), keywords)));
        }
        messages.sort(Comparator.comparingLong(StoredMessage::uid));
        return messages;
    }

    private StoredMessage toMessage(UidList.Entry entry, MaildirFileName parsed, BasicFileAttributes attributes,
                                    KeywordTable keywords) {
        var names = new TreeSet<String>();
        for (int index : parsed.keywordIndexes()) {
            var keyword = keywords.name(index);
            if (keyword != null) {
                names.add(keyword);
            }
        }
        long size = parsed.size().orElse(entry.longExtension('S').orElse(attributes.size()));
        long virtualSize = parsed.virtualSize().orElse(entry.longExtension('W').orElse(size));
        return new StoredMessage(entry.uid(), entry.key(), parsed.flags(), names,
                attributes.lastModifiedTime().toInstant(), size, virtualSize);
    }

    /** Moves files delivered to new/ into cur/ with an empty info part, as Dovecot does. */
    private void moveNewToCur() throws IOException {
        boolean moved = false;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(newDir)) {
            for (var path : entries) {
                var fileName = path.getFileName().toString();
                if (!isMessageFile(path, fileName)) {
                    continue;
                }
                var target = fileName.indexOf(':') >= 0 ? fileName : fileName + MaildirFileName.INFO_SEPARATOR;
                try {
                    moveNoReplace(path, cur.resolve(target));
                    moved = true;
                } catch (NoSuchFileException | FileAlreadyExistsException e) {
                    // someone else moved it, or a file of that name is in cur/ already
                }
            }
        }
        if (moved) {
            durability.syncDirectory(cur);
            durability.syncDirectory(newDir);
        }
    }

    private static boolean isMessageFile(Path path, String fileName) {
        return MaildirFileName.isPlausibleKey(MaildirFileName.parse(fileName).base())
                && Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Lists cur/, retrying while its mtime changes underneath (a concurrent rename may hide a
     * file from one readdir pass). Files sharing a base name get a new unique base.
     */
    private Map<String, Listed> listCur() throws IOException {
        Map<String, Listed> listing = Map.of();
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            var before = Files.getLastModifiedTime(cur);
            listing = listCurOnce();
            if (before.equals(Files.getLastModifiedTime(cur))) {
                break;
            }
        }
        fileNames.clear();
        listing.forEach((key, listed) -> fileNames.put(key, listed.fileName()));
        return listing;
    }

    private Map<String, Listed> listCurOnce() throws IOException {
        var listing = new LinkedHashMap<String, Listed>();
        var duplicates = new ArrayList<Path>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(cur)) {
            for (var path : entries) {
                var fileName = path.getFileName().toString();
                var parsed = MaildirFileName.parse(fileName);
                if (!MaildirFileName.isPlausibleKey(parsed.base())) {
                    continue;
                }
                BasicFileAttributes attributes;
                try {
                    attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                } catch (NoSuchFileException renamed) {
                    continue;
                }
                if (!attributes.isRegularFile()) {
                    continue;
                }
                if (listing.containsKey(parsed.base())) {
                    duplicates.add(path);
                } else {
                    listing.put(parsed.base(), new Listed(fileName, parsed, attributes));
                }
            }
        }
        for (var duplicate : duplicates) {
            renameDuplicate(duplicate, listing);
        }
        return listing;
    }

    private void renameDuplicate(Path duplicate, Map<String, Listed> listing) throws IOException {
        var parsed = MaildirFileName.parse(duplicate.getFileName().toString());
        var renamed = new MaildirFileName(UniqueNames.next(), parsed.info());
        var target = cur.resolve(renamed.fileName());
        try {
            moveNoReplace(duplicate, target);
            var attributes = Files.readAttributes(target, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            listing.put(renamed.base(), new Listed(renamed.fileName(), renamed, attributes));
            LOG.log(System.Logger.Level.INFO, "{0}: gave a duplicate message file a new name", dir);
        } catch (NoSuchFileException gone) {
            // renamed or expunged by someone else meanwhile
        }
    }

    // ---- reading -----------------------------------------------------------------------------

    @Override
    public InputStream open(StoredMessage message) throws IOException {
        var path = locate(message.key());
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException renamed) {
            return Files.newInputStream(locateAfterRelisting(message.key()));
        }
    }

    /** The current path of a message, by its key. */
    Path locate(String key) throws IOException {
        lock.lock();
        try {
            var fileName = fileNames.get(key);
            if (fileName != null && Files.exists(cur.resolve(fileName), LinkOption.NOFOLLOW_LINKS)) {
                return cur.resolve(fileName);
            }
            return locateAfterRelisting(key);
        } finally {
            lock.unlock();
        }
    }

    private Path locateAfterRelisting(String key) throws IOException {
        lock.lock();
        try {
            moveNewToCur();
            listCur();
            var fileName = fileNames.get(key);
            if (fileName == null) {
                throw new MessageNotFoundException("message no longer exists: " + key);
            }
            return cur.resolve(fileName);
        } finally {
            lock.unlock();
        }
    }

    // ---- append --------------------------------------------------------------------------------

    @Override
    public StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords,
                                Instant internalDate) throws IOException {
        Keywords.check(keywords);
        lock.lock();
        try {
            requireDirectory();
            var written = writeToTmp(data, internalDate);
            try {
                var indexes = keywordIndexes(keywords);
                var base = UniqueNames.next(written.sizes().size(), written.sizes().virtualSize());
                var fileName = new MaildirFileName(base, "").withFlags(flags, indexes);
                try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
                    uidList = readUidList();
                    requireRoomFor(1);
                    moveNoReplace(written.path(), cur.resolve(fileName.fileName()));
                    durability.syncDirectory(cur);
                    var entry = uidList.assign(base, Map.of());
                    uidLock.replace(uidList.format());
                    fileNames.put(base, fileName.fileName());
                    return new StoredMessage(entry.uid(), base, flags, canonicalKeywords(indexes),
                            truncatedToSeconds(internalDate), written.sizes().size(), written.sizes().virtualSize());
                }
            } finally {
                Files.deleteIfExists(written.path());
            }
        } finally {
            lock.unlock();
        }
    }

    private record Written(Path path, MessageSizes sizes) {
    }

    private Written writeToTmp(InputStream data, Instant internalDate) throws IOException {
        var path = tmp.resolve(UniqueNames.next());
        try (var channel = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            var sizes = MessageSizes.copy(data, Channels.newOutputStream(channel));
            Files.setLastModifiedTime(path, FileTime.from(truncatedToSeconds(internalDate)));
            durability.sync(channel);
            return new Written(path, sizes);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(path);
            throw e;
        }
    }

    private static Instant truncatedToSeconds(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }

    /** rename(2) would replace an existing file; link(2)+unlink(2) refuses to, as Dovecot's saving does. */
    private static void moveNoReplace(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
            Files.delete(from);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException) {
                throw e;
            }
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(to.toString());
            }
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    // ---- flags ---------------------------------------------------------------------------------

    @Override
    public StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException {
        Keywords.check(keywords);
        lock.lock();
        try {
            var indexes = keywordIndexes(keywords);
            for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
                var from = locate(message.key());
                var renamed = MaildirFileName.parse(from.getFileName().toString()).withFlags(flags, indexes);
                var to = cur.resolve(renamed.fileName());
                try {
                    if (!from.equals(to)) {
                        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
                        durability.syncDirectory(cur);
                    }
                    fileNames.put(message.key(), renamed.fileName());
                    return new StoredMessage(message.uid(), message.key(), flags, canonicalKeywords(indexes),
                            message.internalDate(), message.physicalSize(), message.virtualSize());
                } catch (NoSuchFileException renamedElsewhere) {
                    fileNames.remove(message.key());
                }
            }
            throw new StorageException("message keeps being renamed by another process: " + message.key());
        } finally {
            lock.unlock();
        }
    }

    /** Letters for the keywords, adding unknown ones to dovecot-keywords first (durably). */
    private Set<Integer> keywordIndexes(Set<String> keywords) throws IOException {
        if (keywords.isEmpty()) {
            return Set.of();
        }
        var table = readKeywords();
        var indexes = new TreeSet<Integer>();
        var unknown = new ArrayList<String>();
        for (var keyword : keywords) {
            table.indexOf(keyword).ifPresentOrElse(indexes::add, () -> unknown.add(keyword));
        }
        if (unknown.isEmpty()) {
            return indexes;
        }
        var path = dir.resolve(KEYWORDS);
        try (var keywordLock = DotLock.acquire(path, options, durability)) {
            table = readKeywords();
            for (var keyword : unknown) {
                var index = table.indexOf(keyword);
                if (index.isEmpty()) {
                    index = table.add(keyword);
                }
                if (index.isEmpty()) {
                    throw new InvalidKeywordException("no room for more than "
                            + MaildirFileName.MAX_KEYWORDS + " keywords in this mailbox");
                }
                indexes.add(index.getAsInt());
            }
            keywordLock.replace(table.format());
        }
        return indexes;
    }

    private Set<String> canonicalKeywords(Set<Integer> indexes) throws IOException {
        var table = readKeywords();
        var names = new TreeSet<String>();
        for (int index : indexes) {
            var keyword = table.name(index);
            if (keyword != null) {
                names.add(keyword);
            }
        }
        return names;
    }

    private KeywordTable readKeywords() throws IOException {
        var path = dir.resolve(KEYWORDS);
        try {
            return KeywordTable.parse(Files.readString(path, StandardCharsets.ISO_8859_1), path.toString());
        } catch (NoSuchFileException e) {
            return new KeywordTable();
        }
    }

    // ---- expunge -------------------------------------------------------------------------------

    @Override
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            var removed = new HashSet<String>();
            for (var message : messages) {
                if (deleteFile(message.key())) {
                    removed.add(message.key());
                }
            }
            durability.syncDirectory(cur);
            try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
                uidList = readUidList();
                messages.forEach(message -> uidList.remove(message.key()));
                uidLock.replace(uidList.format());
            }
            removed.forEach(fileNames::remove);
        } finally {
            lock.unlock();
        }
    }

    private boolean deleteFile(String key) throws IOException {
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            Path path;
            try {
                path = locate(key);
            } catch (MessageNotFoundException gone) {
                return false;
            }
            try {
                Files.delete(path);
                return true;
            } catch (NoSuchFileException renamed) {
                fileNames.remove(key);
            }
        }
        return false;
    }

    // ---- copy ----------------------------------------------------------------------------------

    @Override
    public List<StoredMessage> copyTo(MailboxStore target, List<StoredMessage> messages) throws IOException {
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
     * Hard-links each source file into cur/ under a new name (same inode: same bytes and mtime,
     * hence same internal date), falling back to a copy across file systems; then gives all
     * copies UIDs in one uid list update. The source's lock is never taken while this one is
     * held, so two copies in opposite directions cannot deadlock; a source renamed meanwhile
     * makes the whole copy start over.
     */
    private List<StoredMessage> receiveCopies(MaildirMailbox source, List<StoredMessage> messages) throws IOException {
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            var sources = new ArrayList<Path>(messages.size());
            for (var message : messages) {
                sources.add(source.locate(message.key()));
            }
            lock.lock();
            try {
                return linkAll(messages, sources);
            } catch (NoSuchFileException renamedMeanwhile) {
                LOG.log(System.Logger.Level.DEBUG, "copy source renamed meanwhile, retrying");
            } finally {
                lock.unlock();
            }
        }
        throw new StorageException("copy sources keep being renamed by another process");
    }

    private List<StoredMessage> linkAll(List<StoredMessage> messages, List<Path> sources) throws IOException {
        var indexes = new ArrayList<Set<Integer>>(messages.size());
        for (var message : messages) {
            indexes.add(keywordIndexes(message.keywords()));
        }
        var created = new ArrayList<Path>();
        var copies = new ArrayList<StoredMessage>();
        try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
            uidList = readUidList();
            requireRoomFor(messages.size());
            for (int i = 0; i < messages.size(); i++) {
                var message = messages.get(i);
                var base = UniqueNames.next(message.physicalSize(), message.virtualSize());
                var fileName = new MaildirFileName(base, "").withFlags(message.flags(), indexes.get(i));
                var to = cur.resolve(fileName.fileName());
                linkOrCopy(sources.get(i), to, message.internalDate());
                created.add(to);
                var entry = uidList.assign(base, Map.of());
                fileNames.put(base, fileName.fileName());
                copies.add(new StoredMessage(entry.uid(), base, message.flags(), canonicalKeywords(indexes.get(i)),
                        message.internalDate(), message.physicalSize(), message.virtualSize()));
            }
            durability.syncDirectory(cur);
            uidLock.replace(uidList.format());
            return copies;
        } catch (IOException | RuntimeException e) {
            for (var path : created) {
                Files.deleteIfExists(path);
            }
            uidList = readUidList();
            throw e;
        }
    }

    private void linkOrCopy(Path from, Path to, Instant internalDate) throws IOException {
        try {
            Files.createLink(to, from);
        } catch (UnsupportedOperationException | FileSystemException e) {
            if (e instanceof NoSuchFileException || e instanceof FileAlreadyExistsException) {
                throw e;
            }
            try (var in = Files.newInputStream(from)) {
                var written = writeToTmp(in, internalDate);
                moveNoReplace(written.path(), to);
            }
        }
    }

    // ---- rename of INBOX -----------------------------------------------------------------------

    /**
     * Moves every message, with its UID, into the empty mailbox {@code target} (which has its own,
     * newer UIDVALIDITY, so keeping the UIDs is safe). This mailbox keeps its UIDVALIDITY and
     * next UID, so no UID is ever reused here. The target's uid list is written before any file
     * moves: a crash in between leaves each message in one of the two places with a UID.
     */
    void moveAllTo(MaildirMailbox target) throws IOException {
        lock.lock();
        target.lock.lock();
        try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
            moveNewToCur();
            var listing = listCur();
            uidList = readUidList();
            assignUids(listing);
            try (var keywordLock = DotLock.acquire(target.dir.resolve(KEYWORDS), options, durability)) {
                keywordLock.replace(readKeywords().format()); // the letters in the names refer to it
            }
            try (var targetLock = DotLock.acquire(target.dir.resolve(UIDLIST), options, durability)) {
                var moved = new UidList(target.readUidList().uidValidity(), uidList.nextUid(), newGuid());
                listing.keySet().forEach(key -> uidList.get(key).ifPresent(moved::put));
                targetLock.replace(moved.format());
                target.uidList = moved;
            }
            for (var listed : listing.values()) {
                try {
                    moveNoReplace(cur.resolve(listed.fileName()), target.cur.resolve(listed.fileName()));
                } catch (NoSuchFileException expungedMeanwhile) {
                    LOG.log(System.Logger.Level.DEBUG, "message vanished during INBOX rename");
                }
                uidList.remove(listed.parsed().base());
            }
            durability.syncDirectory(target.cur);
            durability.syncDirectory(cur);
            uidLock.replace(uidList.format());
            fileNames.clear();
        } finally {
            target.lock.unlock();
            lock.unlock();
        }
    }

    // ---- uid list ------------------------------------------------------------------------------

    private void requireRoomFor(int count) throws StorageException {
        if (!uidList.hasRoomFor(count)) {
            throw new StorageException("the mailbox has used up its UIDs; it must be recreated");
        }
    }

    /**
     * Reads dovecot-uidlist. A missing or headless list gets a new UIDVALIDITY (written at the
     * next update); its surviving records keep their UIDs, which is safe under a new UIDVALIDITY.
     */
    private UidList readUidList() throws IOException {
        var path = dir.resolve(UIDLIST);
        UidList list;
        try {
            list = UidList.parse(Files.readString(path, StandardCharsets.ISO_8859_1), path.toString());
        } catch (NoSuchFileException e) {
            list = createUidList();
        }
        if (list.uidValidity() == 0) {
            list.resetValidity(uidValidities.next(), newGuid());
        }
        return list;
    }

    private UidList createUidList() throws IOException {
        try (var uidLock = DotLock.acquire(dir.resolve(UIDLIST), options, durability)) {
            var path = dir.resolve(UIDLIST);
            if (Files.exists(path)) {
                return UidList.parse(Files.readString(path, StandardCharsets.ISO_8859_1), path.toString());
            }
            var list = new UidList(uidValidities.next(), 1, newGuid());
            uidLock.replace(list.format());
            return list;
        }
    }

    static String newGuid() {
        var bytes = new byte[16];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.HexFormat.of().formatHex(bytes);
    }

    Optional<UidList.Entry> entry(String key) {
        return uidList.get(key);
    }
}
