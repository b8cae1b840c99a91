package org.roost.storage.maildir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.roost.mail.MessageNotFoundException;
import org.roost.storage.files.Durability;

/**
 * The {@code cur/ new/ tmp/} directories of one Maildir folder: delivery through tmp/, moving
 * new/ to cur/, listing cur/, and finding a message's current file by its key although other
 * processes rename files when flags change. Not thread-safe: the owning mailbox's lock guards it.
 */
final class MessageDirectory {

    private static final System.Logger LOG = System.getLogger(MessageDirectory.class.getName());
    static final int LISTING_ATTEMPTS = 5;

    /** What {@link #writeToTmp} wrote. */
    record Written(Path path, MessageSizes sizes) {
    }

    private final Path cur;
    private final Path newDir;
    private final Path tmp;
    private final Durability durability;
    /**
     * Above this many files a listing is not kept after use: a million names hold 140 MB, while
     * the name a message's flags imply finds its file with one stat (see
     * {@code MaildirMailbox.rememberImpliedName}). Only names that guess would miss are kept.
     */
    static final int KEPT_LISTING_MAX = 50_000;
    private int listings;
    /** The last listing if small: the current file name of each key, as then seen... */
    private Listing listed = Listing.empty();
    /** ...and the names this process gave or lost since (null: forgotten), which take precedence. */
    private final Map<String, String> renamedSince = new HashMap<>();
    /** A clock tick of the coarsest file systems (whole seconds, as ext3), with room to spare. */
    private static final long COARSE_CLOCK_MILLIS = 2_000;
    /** cur/'s mtime during the last listing when it was stable and settled, else null. */
    private FileTime listedStamp;

    MessageDirectory(Path mailboxDir, Durability durability) {
        this.cur = mailboxDir.resolve("cur");
        this.newDir = mailboxDir.resolve("new");
        this.tmp = mailboxDir.resolve("tmp");
        this.durability = durability;
    }

    /** Dovecot creates missing directories on the fly; so do we (git, for one, drops empty ones). */
    void createMissing() throws IOException {
        Files.createDirectories(cur);
        Files.createDirectories(newDir);
        Files.createDirectories(tmp);
    }

    boolean exists() {
        return Files.isDirectory(cur);
    }

    Path cur() {
        return cur;
    }

    /** Moves files delivered to new/ into cur/ with an empty info part, as Dovecot does. */
    void moveNewToCur() throws IOException {
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

    /** A delivered file, to be moved (a rename each anyway): its stat keeps directories and links where they are. */
    private static boolean isMessageFile(Path path, String fileName) throws IOException {
        if (!MaildirFileName.isPlausibleKey(MaildirFileName.parse(fileName).base())) {
            return false;
        }
        try {
            return FileStats.of(path).isRegularFile();
        } catch (NoSuchFileException movedMeanwhile) {
            return false;
        }
    }

    /**
     * Lists cur/ by key, retrying while its mtime changes underneath (a concurrent rename may
     * hide a file from one readdir pass), and remembers every file's current name (of a large
     * folder, only the names that the flags do not imply).
     */
    Listing list() throws IOException {
        var listing = Listing.empty();
        listedStamp = null;
        for (int attempt = 0; attempt < LISTING_ATTEMPTS; attempt++) {
            var before = Files.getLastModifiedTime(cur);
            listing = listOnce();
            if (before.equals(Files.getLastModifiedTime(cur))) {
                boolean settled = System.currentTimeMillis() - before.toMillis() > COARSE_CLOCK_MILLIS;
                listedStamp = settled ? before : null;
                break;
            }
        }
        renamedSince.clear();
        listed = listing.size() <= KEPT_LISTING_MAX ? listing : Listing.empty();
        if (listed != listing) {
            for (int row = 0; row < listing.size(); row++) {
                if (!listing.impliedByFlags(row)) {
                    renamedSince.put(listing.key(row), listing.fileName(row));
                }
            }
        }
        return listing;
    }

    /** How many times cur/ was read (for tests: a large folder must not be listed once per message). */
    int listings() {
        return listings;
    }

    /**
     * Whether cur/ is certainly as the last {@link #list()} saw it: its mtime has not moved since,
     * and was then already older than a coarse file system's clock tick (a change within the same
     * tick could keep the stamp). Every delivery, rename or removal in cur/ moves its mtime.
     */
    boolean unchangedSinceListing() throws IOException {
        return listedStamp != null && listedStamp.equals(Files.getLastModifiedTime(cur));
    }

    /**
     * One readdir pass over cur/. Dot files and names that cannot be keys are skipped; a file whose
     * base name another file has already gets a new unique base. The files are not stat'ed: their
     * dates and sizes wait until a command needs them, since a million stats cost seconds of kernel
     * time where a listing needs none (readdir's entry types would tell directories apart for free,
     * but Java does not pass them on). So only a cur/ that may hold subdirectories, whose link count
     * is not 2 (it has some, or its file system does not count them), is listed with a stat of every
     * entry, by several threads for a large folder (see {@link FileStats}). Other files that are no
     * regular files (links, pipes) are listed; they are found out when a command looks at them.
     */
    Listing listOnce() throws IOException {
        listings++;
        return mayHoldDirectories() ? listStated() : listNames();
    }

    private boolean mayHoldDirectories() throws IOException {
        try {
            return !Integer.valueOf(2).equals(Files.getAttribute(cur, "unix:nlink", LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException | IllegalArgumentException noLinkCount) {
            return true;
        }
    }

    /** The names as bytes from the start ({@link DirectoryNames}): a million names make no string each. */
    private Listing listNames() throws IOException {
        var names = new KeyBytes();
        var read = DirectoryNames.best().read(cur, names);
        var listing = new Listing.Builder(read.length, false, names);
        var duplicates = new ArrayList<String>();
        for (long name : read) {
            if (isListed(names, name) && !listing.add(name)) {
                duplicates.add(names.string(name));
            }
        }
        return withRenamedDuplicates(listing, duplicates, false);
    }

    private Listing listStated() throws IOException {
        try (var stats = new FileStats(cur)) {
            for (var name : readNames()) {
                if (isListed(name)) {
                    stats.add(name);
                }
            }
            var listing = new Listing.Builder(stats.total(), true);
            var duplicates = new ArrayList<String>();
            for (var chunk : stats.finish()) {
                for (int i = 0; i < chunk.count(); i++) {
                    var name = chunk.names()[i];
                    if (chunk.sizes()[i] >= 0 && !listing.add(name, chunk.modified()[i], chunk.sizes()[i])) {
                        duplicates.add(name);
                    }
                }
            }
            return withRenamedDuplicates(listing, duplicates, true);
        }
    }

    /**
     * The names in cur/, in one readdir pass (as names: a million {@link Path} objects cost a third
     * more than the names alone).
     */
    private String[] readNames() throws IOException {
        var names = cur.toFile().list();
        if (names == null) {
            throw new IOException("cannot list " + cur);
        }
        return names;
    }

    /** Whether a name in cur/ can be a message file's: its key is checked in place, a million names make no keys. */
    private static boolean isListed(String fileName) {
        return MaildirFileName.isPlausibleKey(fileName, Listing.keyLength(fileName));
    }

    /** As {@link #isListed(String)}, for a stored name: one of ASCII (as nearly all are) is read as bytes. */
    private static boolean isListed(KeyBytes names, long name) {
        int keyLength = names.indexOf(name, (byte) ':');
        if (keyLength == 0 || keyLength > 255 || names.byteAt(name, 0) == '.') {
            return keyLength > 255 && isListed(names.string(name)); // 255 bytes may be fewer characters
        }
        for (int i = 0; i < keyLength; i++) {
            byte c = names.byteAt(name, i);
            if (c < 0) {
                return isListed(names.string(name));
            }
            if (c == '/' || c < 0x20 || c == 0x7f) {
                return false;
            }
        }
        return true;
    }

    private Listing withRenamedDuplicates(Listing.Builder listing, List<String> duplicates, boolean stated)
            throws IOException {
        for (var duplicate : duplicates) {
            var parsed = MaildirFileName.parse(duplicate);
            var renamed = new MaildirFileName(UniqueNames.next(), parsed.info());
            var target = cur.resolve(renamed.fileName());
            try {
                moveNoReplace(cur.resolve(duplicate), target);
                if (stated) {
                    var attributes = FileStats.of(target);
                    listing.add(renamed.fileName(), FileStats.nanos(attributes), attributes.size());
                } else {
                    listing.add(renamed.fileName());
                }
                LOG.log(System.Logger.Level.INFO, "{0}: gave a duplicate message file a new name", cur);
            } catch (NoSuchFileException gone) {
                // renamed or expunged by someone else meanwhile
            }
        }
        return listing.build();
    }

    /**
     * The current path of a message: the remembered name if that file is still there, else
     * found by listing again.
     *
     * @throws MessageNotFoundException if no file has that key any more
     */
    Path locate(String key) throws IOException {
        var fileName = rememberedName(key);
        if (fileName != null && Files.exists(cur.resolve(fileName), LinkOption.NOFOLLOW_LINKS)) {
            return cur.resolve(fileName);
        }
        return relocate(key);
    }

    /** Finds a message's file by listing again, e.g. after its remembered name vanished. */
    Path relocate(String key) throws IOException {
        moveNewToCur();
        var fileName = list().fileName(key);
        if (fileName == null) {
            throw new MessageNotFoundException("message no longer exists: " + key);
        }
        remember(key, fileName);
        return cur.resolve(fileName);
    }

    /** Whether a name for {@code key} is remembered from a listing or an operation of this process. */
    boolean remembers(String key) {
        return rememberedName(key) != null;
    }

    /** The name remembered for {@code key} from a listing or an operation of this process, or null. */
    String rememberedName(String key) {
        return renamedSince.containsKey(key) ? renamedSince.get(key) : listed.fileName(key);
    }

    void remember(String key, String fileName) {
        renamedSince.put(key, fileName);
    }

    void forget(String key) {
        renamedSince.put(key, null);
    }

    void forgetAll() {
        listed = Listing.empty();
        renamedSince.clear();
    }

    /** Writes a message into tmp/ under a unique name, mtime = internal date, fsynced. */
    Written writeToTmp(InputStream data, Instant internalDate) throws IOException {
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

    /** Internal dates live in mtimes, and IMAP dates have whole seconds. */
    static Instant truncatedToSeconds(Instant instant) {
        return Instant.ofEpochSecond(instant.getEpochSecond());
    }

    /**
     * Moves a file without ever replacing one: rename(2) would overwrite an existing target,
     * link(2) then unlink(2) refuses to, as Dovecot's saving does. Where hard links are not
     * supported, an atomic rename after an existence check is the fallback.
     */
    static void moveNoReplace(Path from, Path to) throws IOException {
        if (hardLink(from, to)) {
            Files.delete(from);
            return;
        }
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            throw new FileAlreadyExistsException(to.toString());
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Makes {@code to} a hard link of {@code from}; false where the file system refuses hard links
     * (Files.createLink signals that with UnsupportedOperationException or an EPERM/EXDEV error).
     * A missing source or an existing target is an error, not a refusal.
     */
    static boolean hardLink(Path from, Path to) throws IOException {
        try {
            Files.createLink(to, from);
            return true;
        } catch (NoSuchFileException | FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
            return false;
        }
    }
}
