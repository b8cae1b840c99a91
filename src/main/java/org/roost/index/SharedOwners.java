package org.roost.index;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.roost.acl.FileStamp;
import org.roost.acl.Identifier;
import org.roost.acl.Requester;

/**
 * Who shares mailboxes with whom, so that a LIST of the other users' namespace asks only the owners that give
 * the user something (Dovecot's {@code acl_shared_dict}): per owner, the identifiers their ACLs give any right to.
 * An owner's entry is made again from their ACLs at each change of one (SETACL, DELETEACL) and at each of their
 * logins, so files written by other programs (a Dovecot site's) count from the owner's next login. Kept in one
 * file, written whole (a new file renamed over the old); a damaged file is logged and started afresh. The file is
 * read again when another process wrote it ({@code roost acl}), checked with a {@code stat} at each use.
 */
public final class SharedOwners {
    private static final System.Logger LOG = System.getLogger(SharedOwners.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;
    private final boolean fsync;
    /** Replaced whole, never changed: a LIST reads it without a lock. */
    private volatile Map<String, List<Identifier>> sharing = Map.of();
    /** The file as last read or written here; another process's write (roost acl) is read again when it differs. */
    private FileStamp known = FileStamp.ABSENT;
    private final Object[] readingLocks = new Object[64];

    private SharedOwners(Path file, boolean fsync) {
        this.file = file;
        this.fsync = fsync;
        for (int i = 0; i < readingLocks.length; i++) {
            readingLocks[i] = new Object();
        }
    }

    /** The owners recorded in {@code file} (none when it is missing or damaged). */
    public static SharedOwners open(Path file, boolean fsync) throws IOException {
        var owners = new SharedOwners(file, fsync);
        owners.readIfChanged();
        return owners;
    }

    /** Reads the file again when it is not the one last read or written here (a cost of one {@code stat}). */
    private synchronized void readIfChanged() throws IOException {
        var stamp = FileStamp.of(file);
        if (stamp.equals(known)) {
            return;
        }
        known = stamp;
        var read = new TreeMap<String, List<Identifier>>();
        try {
            JSON.readValue(Files.readAllBytes(file), new TypeReference<Map<String, List<String>>>() {})
                    .forEach((owner, identifiers) -> read.put(owner, parsed(identifiers)));
        } catch (NoSuchFileException e) {
            // nobody shares anything yet
        } catch (JacksonException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} is damaged, shared mailboxes are listed again as their "
                    + "owners log in or change an ACL: {1}", file, e.getOriginalMessage());
        }
        sharing = Map.copyOf(read);
    }

    private static List<Identifier> parsed(List<String> identifiers) {
        var parsed = new ArrayList<Identifier>();
        for (var text : identifiers == null ? List.<String>of() : identifiers) {
            try {
                parsed.add(Identifier.parseFile(text));
            } catch (IllegalArgumentException | NullPointerException e) {
                // a damaged entry names nobody
            }
        }
        return List.copyOf(parsed);
    }

    /** The owners (other than {@code who} themselves) whose ACLs give {@code who} some right somewhere. */
    public Set<String> sharingWith(Requester who) {
        try {
            readIfChanged();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "{0} could not be read again: {1}", file, e.toString());
        }
        var owners = new TreeSet<String>();
        sharing.forEach((owner, identifiers) -> {
            if (!owner.equals(who.user()) && identifiers.stream().anyMatch(id -> id.appliesTo(who))) {
                owners.add(owner);
            }
        });
        return owners;
    }

    /** Who {@code owner}'s ACLs give rights to, read afresh. */
    @FunctionalInterface
    public interface Reading {
        Set<Identifier> identifiers() throws IOException;
    }

    /**
     * Records whom {@code owner}'s ACLs give rights to, as {@code reading} finds them; written when that changed.
     * One owner's readings are made one at a time, so that a reading begun before a change of their ACLs cannot
     * be recorded after the one that followed it.
     */
    public void record(String owner, Reading reading) throws IOException {
        synchronized (readingLocks[Math.floorMod(owner.hashCode(), readingLocks.length)]) {
            record(owner, reading.identifiers());
        }
    }

    /** Records that {@code owner}'s ACLs give rights to exactly {@code identifiers}; written when that changed. */
    void record(String owner, Set<Identifier> identifiers) throws IOException {
        var now = identifiers.stream().filter(id -> !(id instanceof Identifier.Owner))
                .sorted((a, b) -> a.fileForm().compareTo(b.fileForm())).toList();
        synchronized (this) {
            readIfChanged();
            var before = sharing.getOrDefault(owner, List.of());
            if (before.equals(now)) {
                return;
            }
            var changed = new TreeMap<>(sharing);
            if (now.isEmpty()) {
                changed.remove(owner);
            } else {
                changed.put(owner, now);
            }
            sharing = Map.copyOf(changed);
            write();
            known = FileStamp.of(file);
        }
    }

    private void write() throws IOException {
        var out = new TreeMap<String, List<String>>();
        sharing.forEach((owner, identifiers) -> out.put(owner, identifiers.stream().map(Identifier::fileForm)
                .toList()));
        Files.createDirectories(file.getParent());
        var temporary = file.resolveSibling(file.getFileName() + ".new");
        try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var bytes = ByteBuffer.wrap(JSON.writeValueAsBytes(out));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
