package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.QuotaUsage;
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
 * A user's mbox files in Dovecot's layout ({@link MboxLayout}). A mailbox is a file and cannot have
 * inferiors; a directory is a name that only exists because mailboxes lie below it ({@code \Noselect}).
 */
final class MboxStore extends FileMailStore<MboxMailbox> {

    private final MboxLayout layout;
    private final MboxOptions options;
    private final MboxLocking locking;
    private final Durability durability;
    private final UidValidities uidValidities;
    private final QuotaLedger quota;

    MboxStore(MboxLayout layout, MboxOptions options, MboxLocking locking) throws IOException {
        this(layout, options, locking, new Durability(options.fsync()));
    }

    private MboxStore(MboxLayout layout, MboxOptions options, MboxLocking locking, Durability durability)
            throws IOException {
        super(new SubscriptionFile(layout.root().resolve(MboxLayout.SUBSCRIPTIONS), MboxLayout.DELIMITER,
                MboxLayout::canonical, options, durability), new SpecialUseFile(
                layout.root().resolve(MboxLayout.SPECIAL_USES), MboxLayout.DELIMITER, MboxLayout::canonical, options,
                durability));
        this.layout = layout;
        this.options = options;
        this.locking = locking;
        this.durability = durability;
        Files.createDirectories(layout.root());
        var validityHome = layout.index() != null ? layout.index() : layout.root().resolve(".imap");
        Files.createDirectories(validityHome);
        this.uidValidities = new UidValidities(validityHome, durability);
        this.quota = new QuotaLedger(layout.root().resolve(MboxLayout.QUOTA_LEDGER),
                layout.root().resolve(MboxLayout.QUOTA_OVERRIDE), layout.root(), durability, this::countMail);
        createInbox();
    }

    /** INBOX always exists: an empty spool file is made when there is none (and the directory allows it). */
    private void createInbox() throws IOException {
        var inbox = layout.inbox();
        if (Files.exists(inbox, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(inbox.toAbsolutePath().getParent());
        try {
            Files.createFile(inbox);
        } catch (FileAlreadyExistsException raced) {
            // delivered meanwhile
        }
    }

    @Override
    public char delimiter() {
        return MboxLayout.DELIMITER;
    }

    @Override
    public List<MailboxInfo> list() throws IOException {
        var all = new TreeMap<String, Boolean>();
        all.put(MboxLayout.INBOX, true);
        Files.walkFileTree(layout.root(), Set.of(), MboxLayout.MAX_LEVELS, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) {
                if (dir.equals(layout.root())) {
                    return FileVisitResult.CONTINUE;
                }
                var name = layout.nameOf(layout.root().relativize(dir));
                name.ifPresent(n -> all.putIfAbsent(n, false));
                return name.isPresent() ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                if (attributes.isRegularFile()) {
                    layout.nameOf(layout.root().relativize(file)).ifPresent(n -> all.put(n, true));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // unreadable or gone meanwhile: not a mailbox
            }
        });
        var infos = new ArrayList<MailboxInfo>(all.size());
        all.forEach((name, selectable) -> {
            var higher = all.higherKey(name);
            infos.add(new MailboxInfo(name, selectable, higher != null && MboxLayout.isInferior(higher, name)));
        });
        return infos;
    }

    @Override
    public boolean exists(String name) throws IOException {
        return Files.isRegularFile(layout.file(MboxLayout.canonical(name)));
    }

    @Override
    public void create(String name) throws IOException {
        var canonical = MboxLayout.canonical(name);
        lock.lock();
        try {
            var file = layout.file(canonical);
            if (canonical.equals(MboxLayout.INBOX) || Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new MailboxExistsException("mailbox exists already: " + canonical);
            }
            createParents(canonical, file);
            Files.createFile(file);
            durability.syncDirectory(file.getParent());
        } finally {
            lock.unlock();
        }
    }

    /** The directories above a new mailbox; a mailbox (a file) in the way cannot take inferiors. */
    private void createParents(String canonical, Path file) throws IOException {
        for (var dir = file.getParent(); !dir.equals(layout.root()); dir = dir.getParent()) {
            if (Files.isRegularFile(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new InvalidMailboxNameException("an mbox mailbox cannot hold other mailboxes: " + canonical,
                        "its parent is a mailbox, which in mbox cannot hold other mailboxes");
            }
        }
        Files.createDirectories(file.getParent());
    }

    @Override
    public void delete(String name) throws IOException {
        var canonical = MboxLayout.canonical(name);
        if (canonical.equals(MboxLayout.INBOX)) {
            throw new StorageException("INBOX cannot be deleted");
        }
        lock.lock();
        try {
            var file = layout.file(canonical);
            if (Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                deleteEmptyParent(canonical, file);
                return;
            }
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new MailboxNotFoundException("no such mailbox: " + canonical);
            }
            var mailbox = open.remove(canonical);
            if (mailbox != null) {
                mailbox.close();
            }
            Files.delete(file);
            Files.deleteIfExists(Journal.pathFor(file));
            durability.syncDirectory(file.getParent());
            Trees.delete(layout.stateOf(canonical));
            specialUses.deleted(canonical);
        } finally {
            lock.unlock();
        }
    }

    /** RFC 3501 §6.3.4: a \Noselect name goes when nothing lies below it; with inferiors it is an error. */
    private void deleteEmptyParent(String canonical, Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (entries.iterator().hasNext()) {
                throw new StorageException("mailbox " + canonical + " has inferior mailboxes and holds no messages");
            }
        }
        Files.delete(dir);
        durability.syncDirectory(dir.getParent());
    }

    @Override
    public void rename(String from, String to) throws IOException {
        var source = MboxLayout.canonical(from);
        var target = MboxLayout.canonical(to);
        lock.lock();
        try {
            var targetFile = layout.file(target);
            if (target.equals(MboxLayout.INBOX) || Files.exists(targetFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new MailboxExistsException("mailbox exists already: " + target);
            }
            if (source.equals(target) || MboxLayout.isInferior(target, source)) {
                throw new InvalidMailboxNameException("cannot rename a mailbox into itself");
            }
            if (source.equals(MboxLayout.INBOX)) {
                renameInbox(target);
                return;
            }
            var sourceFile = layout.file(source);
            if (!Files.exists(sourceFile, LinkOption.NOFOLLOW_LINKS)) {
                throw new MailboxNotFoundException("no such mailbox: " + source);
            }
            createParents(target, targetFile);
            closeAll(source);
            Files.move(sourceFile, targetFile, StandardCopyOption.ATOMIC_MOVE);
            durability.syncDirectory(targetFile.getParent());
            moveState(source, target);
            specialUses.renamed(source, target);
        } finally {
            lock.unlock();
        }
    }

    /** RFC 3501 §6.3.5: INBOX's messages move to a new mailbox; INBOX stays, empty, keeping its UIDVALIDITY. */
    private void renameInbox(String target) throws IOException {
        create(target);
        var inbox = (MboxMailbox) mailbox(MboxLayout.INBOX);
        var messages = inbox.scan();
        inbox.copyTo(mailbox(target), messages);
        inbox.expunge(messages);
    }

    /** What waits for a delay in open mailboxes (time stamps, maps), done now. */
    @Override
    public void flush() throws IOException {
        for (var mailbox : open.values()) {
            mailbox.flush();
        }
    }

    private void closeAll(String name) throws IOException {
        for (var key : List.copyOf(open.keySet())) {
            if (key.equals(name) || MboxLayout.isInferior(key, name)) {
                var mailbox = open.remove(key);
                if (mailbox != null) {
                    mailbox.close();
                }
            }
        }
    }

    /** The index files and annotations follow the mailbox. */
    private void moveState(String source, String target) throws IOException {
        var from = layout.stateOf(source);
        var to = layout.stateOf(target);
        if (!Files.exists(from)) {
            return;
        }
        Trees.delete(to);
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public MailboxStore mailbox(String name) throws IOException {
        var canonical = MboxLayout.canonical(name);
        var file = layout.file(canonical);
        return opened(canonical, Files.isRegularFile(file), () -> new MboxMailbox(canonical, file,
                layout.indexOf(canonical), options, locking, uidValidities::next));
    }

    /** Opening an mbox reads its map first, the index files after: all are read ahead together. */
    @Override
    public Path indexDirectory(String name) throws IOException {
        return layout.indexOf(MboxLayout.canonical(name));
    }

    @Override
    public QuotaStore quota() {
        return quota;
    }

    @Override
    public Path annotationDirectory(String name) throws IOException {
        return layout.stateOf(MboxLayout.canonical(name));
    }

    @Override
    public Path serverAnnotationDirectory() {
        return layout.stateRoot();
    }

    /** Every mailbox's messages as clients see them, for a recount of the quota. */
    private QuotaUsage countMail() throws IOException {
        var usage = QuotaUsage.ZERO;
        for (var info : list()) {
            if (!info.selectable()) {
                continue;
            }
            try {
                var counted = ((MboxMailbox) mailbox(info.name())).usage();
                usage = usage.plus(counted.storage(), counted.messages());
            } catch (MailboxNotFoundException deletedMeanwhile) {
                // nothing of it counts
            }
        }
        return usage;
    }
}
