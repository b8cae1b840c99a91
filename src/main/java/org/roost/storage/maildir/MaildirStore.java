package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.TreeMap;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StorageException;
import org.roost.storage.MailboxStore;
import org.roost.storage.QuotaStore;
import org.roost.storage.files.Durability;
import org.roost.storage.files.FileMailStore;
import org.roost.storage.files.QuotaLedger;
import org.roost.storage.files.SpecialUseFile;
import org.roost.storage.files.SubscriptionFile;
import org.roost.storage.files.Trees;
import org.roost.storage.files.UidValidities;

/**
 * A user's Maildir++ store in Dovecot's layout: INBOX at the root, {@code .Parent.Child}
 * directories (modified UTF-7) for the other mailboxes, each with {@code cur/ new/ tmp/} and an
 * empty {@code maildirfolder} file; subscriptions in {@code subscriptions}. Like Dovecot, it
 * creates no directories for parents: a parent exists only as a non-selectable name while a
 * child does.
 */
final class MaildirStore extends FileMailStore<MaildirMailbox> {

    private static final String SUBSCRIPTIONS = "subscriptions";
    private static final String SPECIAL_USES = "roost-special-use";
    private static final String FOLDER_MARKER = "maildirfolder";

    private final Path root;
    private final MaildirOptions options;
    private final Durability durability;
    private final UidValidities uidValidities;
    private final QuotaLedger quota;
    /** The last listing {@link #list} may answer again, or null. */
    private volatile Listing listed;

    MaildirStore(Path root, MaildirOptions options) throws IOException {
        this(root.toAbsolutePath().normalize(), options, new Durability(options.fsync()));
    }

    private MaildirStore(Path root, MaildirOptions options, Durability durability) throws IOException {
        super(new SubscriptionFile(root.resolve(SUBSCRIPTIONS), FolderNames.DELIMITER, FolderNames::canonical,
                options, durability), new SpecialUseFile(root.resolve(SPECIAL_USES), FolderNames.DELIMITER,
                FolderNames::canonical, options, durability));
        this.root = root;
        this.options = options;
        this.durability = durability;
        this.uidValidities = new UidValidities(root, durability);
        this.quota = MaildirQuota.of(root, durability);
        createLayout(this.root);
        removeTrashed();
    }

    private static void createLayout(Path dir) throws IOException {
        for (var sub : List.of("cur", "new", "tmp")) {
            Files.createDirectories(dir.resolve(sub));
        }
    }

    @Override
    public char delimiter() {
        return FolderNames.DELIMITER;
    }

    /** Dovecot's GUIDs: the uid list's header names the mailbox, its records (or the base names) the messages. */
    @Override
    public boolean keepsGuids() {
        return true;
    }

    /**
     * Every folder a program creates, removes or renames changes the root directory's stamp (its modification
     * time, size, identity). A listing read while that stamp had settled ({@link MaildirMailbox.Stat#settled}: no
     * later change can share it) is answered again while the stamp stays: one stat instead of reading the root and
     * stat'ing each folder, for a LIST-STATUS of a thousand folders that lists them all each time.
     */
    @Override
    public List<MailboxInfo> list() throws IOException {
        long now = System.currentTimeMillis() * 1_000_000L;
        var stamp = MaildirMailbox.stat(root); // before the read: a change while reading gives a later stamp
        var known = listed;
        if (known != null && known.root().equals(stamp)) {
            return known.folders();
        }
        var folders = readFolders();
        listed = MaildirMailbox.Stat.settled(now, stamp) ? new Listing(stamp, folders) : null;
        return folders;
    }

    /** The folders as read from a root stamped {@code root}. */
    private record Listing(MaildirMailbox.Stat root, List<MailboxInfo> folders) {}

    private List<MailboxInfo> readFolders() throws IOException {
        var selectable = new LinkedHashSet<String>();
        selectable.add(FolderNames.INBOX);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
            for (var path : entries) {
                var name = FolderNames.fromDirectory(path.getFileName().toString());
                if (name.isPresent() && Files.isDirectory(path)) {
                    selectable.add(name.get());
                }
            }
        }
        var all = new TreeMap<String, Boolean>();
        for (var name : selectable) {
            all.put(name, true);
            for (int dot = name.indexOf(FolderNames.DELIMITER); dot > 0;
                 dot = name.indexOf(FolderNames.DELIMITER, dot + 1)) {
                all.putIfAbsent(name.substring(0, dot), false);
            }
        }
        var infos = new ArrayList<MailboxInfo>(all.size());
        all.forEach((name, isSelectable) -> {
            var higher = all.higherKey(name);
            boolean hasChildren = higher != null && FolderNames.isInferior(higher, name);
            infos.add(new MailboxInfo(name, isSelectable, hasChildren));
        });
        return List.copyOf(infos);
    }

    @Override
    public boolean exists(String name) throws IOException {
        return Files.isDirectory(pathOf(FolderNames.canonical(name)));
    }

    @Override
    public void create(String name) throws IOException {
        var canonical = FolderNames.canonical(name);
        lock.lock();
        try {
            var dir = pathOf(canonical);
            if (FolderNames.isInbox(canonical) || Files.exists(dir)) {
                throw new MailboxExistsException("mailbox exists already: " + canonical);
            }
            Files.createDirectory(dir);
            createLayout(dir);
            Files.createFile(dir.resolve(FOLDER_MARKER));
            durability.syncDirectory(dir);
            durability.syncDirectory(root);
            // The uid list with a fresh UIDVALIDITY is written now, so the value is fixed at birth; the mailbox
            // is kept, or the uid list it holds open would stay open until a garbage collection.
            open.put(canonical, new MaildirMailbox(canonical, dir, options, uidValidities));
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void delete(String name) throws IOException {
        var canonical = FolderNames.canonical(name);
        if (FolderNames.isInbox(canonical)) {
            throw new StorageException("INBOX cannot be deleted");
        }
        lock.lock();
        try {
            var dir = pathOf(canonical);
            if (!Files.isDirectory(dir)) {
                throw new MailboxNotFoundException("no such mailbox: " + canonical);
            }
            // As Dovecot: rename out of sight first, so a crash never leaves half a mailbox.
            removeTrashed();
            Files.move(dir, trashedPath(), StandardCopyOption.ATOMIC_MOVE);
            durability.syncDirectory(root);
            forget(canonical);
            specialUses.deleted(canonical);
            removeTrashed();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void rename(String from, String to) throws IOException {
        var source = FolderNames.canonical(from);
        var target = FolderNames.canonical(to);
        lock.lock();
        try {
            if (FolderNames.isInbox(target) || Files.exists(pathOf(target))) {
                throw new MailboxExistsException("mailbox exists already: " + target);
            }
            // INBOX's rename only moves its messages, so INBOX.Old is a fine target for it.
            boolean intoItself = !FolderNames.isInbox(source) && FolderNames.isInferior(target, source);
            if (intoItself || source.equals(target)) {
                throw new InvalidMailboxNameException("cannot rename a mailbox into itself");
            }
            if (FolderNames.isInbox(source)) {
                renameInbox(target);
            } else {
                renameHierarchy(source, target);
            }
        } finally {
            lock.unlock();
        }
    }

    /** RFC 3501 §6.3.5: the messages move to the new mailbox; INBOX stays, empty; its inferiors stay. */
    private void renameInbox(String target) throws IOException {
        create(target);
        var inbox = (MaildirMailbox) mailbox(FolderNames.INBOX);
        var moved = (MaildirMailbox) mailbox(target);
        inbox.moveAllTo(moved);
    }

    private void renameHierarchy(String source, String target) throws IOException {
        var moves = new TreeMap<String, String>();
        for (var info : list()) {
            var name = info.name();
            if (info.selectable() && (name.equals(source) || FolderNames.isInferior(name, source))) {
                var renamed = target + name.substring(source.length());
                FolderNames.canonical(renamed);
                if (Files.exists(pathOf(renamed))) {
                    throw new MailboxExistsException("mailbox exists already: " + renamed);
                }
                moves.put(name, renamed);
            }
        }
        if (moves.isEmpty()) {
            throw new MailboxNotFoundException("no such mailbox: " + source);
        }
        for (var move : moves.entrySet()) {
            Files.move(pathOf(move.getKey()), pathOf(move.getValue()), StandardCopyOption.ATOMIC_MOVE);
            forget(move.getKey());
        }
        durability.syncDirectory(root);
        specialUses.renamed(source, target);
    }

    /** Drops a mailbox whose directory moved, closing the uid list it held open there. */
    private void forget(String canonical) {
        var gone = open.remove(canonical);
        if (gone != null) {
            gone.releaseFiles();
        }
    }

    @Override
    public MailboxStore mailbox(String name) throws IOException {
        var canonical = FolderNames.canonical(name);
        var dir = pathOf(canonical);
        return opened(canonical, Files.isDirectory(dir), () -> new MaildirMailbox(canonical, dir, options, uidValidities));
    }

    @Override
    public QuotaStore quota() {
        return quota;
    }

    /** The folder itself, so that the annotations move and go with it; INBOX's is the root. */
    @Override
    public Path annotationDirectory(String name) throws IOException {
        return pathOf(FolderNames.canonical(name));
    }

    @Override
    public Path serverAnnotationDirectory() {
        return root;
    }

    /** The directory of a canonical name, checked to lie directly inside the root. */
    private Path pathOf(String canonical) throws InvalidMailboxNameException {
        var directory = FolderNames.directory(canonical);
        if (directory.isEmpty()) {
            return root;
        }
        var path = root.resolve(directory.get()).normalize();
        if (!root.equals(path.getParent())) {
            throw new InvalidMailboxNameException("mailbox name leaves the mail root: " + canonical,
                    "it leaves the mail root");
        }
        return path;
    }

    private Path trashedPath() {
        return root.resolve(FolderNames.DELIMITER + FolderNames.TRASHED);
    }

    private void removeTrashed() throws IOException {
        var trashed = trashedPath();
        if (Files.exists(trashed)) {
            Trees.delete(trashed);
            durability.syncDirectory(root);
        }
    }
}
