package org.roost.acl;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The ACLs of mailboxes as Dovecot's vfile backend keeps them: a {@code dovecot-acl} file in each mailbox's
 * directory, and one global file whose lines start with a mailbox name pattern ({@code acl = vfile:/path}).
 * What was read is kept and used again while the file's modification time, size and inode stay the same, so a
 * rights check costs one {@code stat} of each file, not a read; a change this server writes is seen at once, and
 * one another program writes at the next check.
 *
 * <p>Damaged lines are skipped with a log line (the rest of the file still counts). A file over
 * {@code maxBytes} or one that cannot be read for want of permission gives nobody, not even the owner, any right
 * (Dovecot's answer to an unreadable file), so that a file cut short never grants what its end took away.
 */
public final class AclFiles {
    public static final String FILE_NAME = "dovecot-acl";
    private static final System.Logger LOG = System.getLogger(AclFiles.class.getName());
    private static final List<AclEntry> NO_ACCESS = List.of(new AclEntry(new Identifier.Anyone(), Rights.NONE, null,
            false), new AclEntry(new Identifier.Owner(), Rights.NONE, null, false));
    private final int maxBytes;
    private final Path globalFile;
    private final boolean fsync;
    private final Cache<Path, Read<List<AclEntry>>> local;
    private final Object[] writeLocks = new Object[64];
    private volatile Read<List<GlobalLine>> global;

    /**
     * @param globalFile the global ACL file, or null for none
     * @param maxBytes   the largest ACL file read
     * @param maxCached  how many mailboxes' files are kept read
     */
    public AclFiles(Path globalFile, int maxBytes, int maxCached, boolean fsync) {
        this.globalFile = globalFile;
        this.maxBytes = maxBytes;
        this.fsync = fsync;
        this.local = Caffeine.newBuilder().maximumSize(maxCached).build();
        for (int i = 0; i < writeLocks.length; i++) {
            writeLocks[i] = new Object();
        }
    }

    /** A global entry and the mailbox names it is for. */
    record GlobalLine(String pattern, AclEntry entry) {}

    /** What a file held when it had this stamp. */
    private record Read<T>(FileStamp stamp, T value) {}

    /**
     * The ACL of the mailbox {@code name} whose {@code dovecot-acl} lives in {@code directory} (null: a mailbox
     * without a file of its own): its entries and the global ones whose pattern matches the name.
     */
    public Acl acl(Path directory, String name) throws IOException {
        var entries = new ArrayList<AclEntry>();
        if (directory != null) {
            entries.addAll(localEntries(directory));
        }
        for (var line : globalLines()) {
            if (Wildcard.matches(name, line.pattern())) {
                entries.add(line.entry());
            }
        }
        return entries.isEmpty() ? Acl.EMPTY : new Acl(entries);
    }

    /**
     * Changes the mailbox's own entries by {@code change} and writes them to its {@code dovecot-acl} (atomically:
     * a new file renamed over the old) as Dovecot writes it; nothing is written when nothing changed. Returns the
     * ACL as it is now. Changes of one directory by this server are made one at a time.
     */
    public Acl update(Path directory, String name, UnaryOperator<Acl> change) throws IOException {
        synchronized (writeLocks[Math.floorMod(directory.hashCode(), writeLocks.length)]) {
            var before = acl(directory, name);
            var after = change.apply(before);
            if (!after.equals(before)) {
                write(directory, after);
            }
            return after;
        }
    }

    private void write(Path directory, Acl acl) throws IOException {
        Files.createDirectories(directory); // an mbox mailbox's directory beside the mail may not be there yet
        var temporary = directory.resolve(FILE_NAME + ".roost-new");
        try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var bytes = ByteBuffer.wrap(AclLines.format(acl.local()).getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temporary, directory.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            try (var dir = FileChannel.open(directory, StandardOpenOption.READ)) {
                dir.force(true);
            }
        }
        local.invalidate(directory);
    }

    /**
     * Gives a new mailbox the entries of its parent's own file, as Dovecot does on CREATE (global entries stay
     * where their patterns put them); nothing when the parent has none.
     */
    public void inherit(Path parentDirectory, Path childDirectory) throws IOException {
        var entries = localEntries(parentDirectory);
        if (!entries.isEmpty()) {
            update(childDirectory, "", acl -> new Acl(entries));
        }
    }

    private List<AclEntry> localEntries(Path directory) throws IOException {
        var file = directory.resolve(FILE_NAME);
        var stamp = FileStamp.of(file);
        var known = local.getIfPresent(directory);
        if (known != null && known.stamp().equals(stamp)) {
            return known.value();
        }
        var entries = stamp == FileStamp.ABSENT ? List.<AclEntry>of() : read(file);
        local.put(directory, new Read<>(stamp, entries));
        return entries;
    }

    private List<GlobalLine> globalLines() throws IOException {
        if (globalFile == null) {
            return List.of();
        }
        var stamp = FileStamp.of(globalFile);
        var known = global;
        if (known != null && known.stamp().equals(stamp)) {
            return known.value();
        }
        var lines = new ArrayList<GlobalLine>();
        var text = text(globalFile);
        if (text == null) {
            NO_ACCESS.forEach(entry -> lines.add(new GlobalLine("*", entry)));
        } else {
            int number = 0;
            for (var line : text.lines().toList()) {
                number++;
                if (!AclLines.blank(line)) {
                    parseGlobal(line, number).ifPresent(lines::add);
                }
            }
        }
        var read = List.copyOf(lines);
        global = new Read<>(stamp, read);
        return read;
    }

    private Optional<GlobalLine> parseGlobal(String line, int number) {
        try {
            String pattern;
            String rest;
            if (line.startsWith("\"")) {
                var quoted = AclLines.unquote(line);
                pattern = quoted.text();
                rest = quoted.rest();
            } else {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    throw new AclLines.DamagedLine(space == 0 ? "Empty ACL pattern" : "Missing ACL rights");
                }
                pattern = line.substring(0, space);
                rest = line.substring(space + 1);
            }
            return Optional.of(new GlobalLine(pattern, AclLines.parse(rest, true)));
        } catch (AclLines.DamagedLine e) {
            damaged(globalFile, number, e);
            return Optional.empty();
        }
    }

    private List<AclEntry> read(Path file) throws IOException {
        var text = text(file);
        if (text == null) {
            return NO_ACCESS;
        }
        var entries = new ArrayList<AclEntry>();
        int number = 0;
        for (var line : text.lines().toList()) {
            number++;
            if (AclLines.blank(line)) {
                continue;
            }
            try {
                entries.add(AclLines.parse(line, false));
            } catch (AclLines.DamagedLine e) {
                damaged(file, number, e);
            }
        }
        return List.copyOf(entries);
    }

    /** The file's text; null when it may not be read or is over the limit. */
    private String text(Path file) throws IOException {
        try (var in = Files.newInputStream(file)) {
            var bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                LOG.log(System.Logger.Level.WARNING, "ACL file {0} is over {1} bytes: nobody has rights there",
                        file, maxBytes);
                return null;
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (NoSuchFileException raced) {
            return "";
        } catch (AccessDeniedException e) {
            LOG.log(System.Logger.Level.WARNING, "ACL file {0} cannot be read: nobody has rights there", file);
            return null;
        }
    }

    private static void damaged(Path file, int number, AclLines.DamagedLine e) {
        LOG.log(System.Logger.Level.WARNING, "ACL file {0} line {1}: {2} (line skipped)", file, number,
                e.getMessage());
    }
}
