package org.roost.sieve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;
import org.roost.sieve.ScriptStoreException.Reason;

/**
 * One user's Sieve scripts in Pigeonhole's layout ({@code sieve = file:~/sieve;active=~/.dovecot.sieve}): each script
 * is {@code ~/sieve/NAME.sieve}, and the active one is the symbolic link {@code ~/.dovecot.sieve} →
 * {@code sieve/NAME.sieve}. Every change is one rename (a new script, a new link), so a reader (a delivery, another
 * program) sees the old state or the new one, never half of either; with {@code fsync} the change is on disk before
 * the method returns.
 *
 * <p>What other programs leave is read as they mean it: a regular file {@code ~/.dovecot.sieve} (an old setup
 * without ManageSieve) is the script that runs but no listed script is active, and it is moved into the store as
 * {@code dovecot.orig} when another script is activated (Pigeonhole does the same); a dangling link, or one pointing
 * outside {@code ~/sieve}, activates nothing for the listing.
 */
public final class ScriptStore {
    public static final String SUFFIX = ".sieve";
    static final String DIRECTORY = "sieve";
    static final String ACTIVE_LINK = ".dovecot.sieve";
    private static final String RESCUED = "dovecot.orig";

    /** A script and whether it is the active one. */
    public record Listing(String name, boolean active) {}

    private final Path home;
    private final Path directory;
    private final Path activeLink;
    private final long maxScriptSize;
    private final int maxScripts;
    private final boolean fsync;

    /**
     * @param home the user's home ({@code ~})
     * @param maxScriptSize the largest script in bytes a user may store
     * @param maxScripts the most scripts a user may store
     */
    public ScriptStore(Path home, long maxScriptSize, int maxScripts, boolean fsync) {
        this.home = home;
        this.directory = home.resolve(DIRECTORY);
        this.activeLink = home.resolve(ACTIVE_LINK);
        this.maxScriptSize = maxScriptSize;
        this.maxScripts = maxScripts;
        this.fsync = fsync;
    }

    public Path home() {
        return home;
    }

    /** The scripts by name, with which one is active. */
    public List<Listing> list() throws IOException {
        var active = activeName().orElse(null);
        return names().stream().map(name -> new Listing(name, name.equals(active))).toList();
    }

    /** The name of the active script, when the active link points to one in the store that exists. */
    public Optional<String> activeName() throws IOException {
        if (!Files.isSymbolicLink(activeLink)) {
            return Optional.empty();
        }
        var target = home.resolve(Files.readSymbolicLink(activeLink)).normalize();
        var file = target.getFileName() == null ? "" : target.getFileName().toString();
        if (!directory.normalize().equals(target.getParent()) || !file.endsWith(SUFFIX)
                || !Files.isRegularFile(target)) {
            return Optional.empty();
        }
        var name = file.substring(0, file.length() - SUFFIX.length());
        return ScriptName.problem(name) == null ? Optional.of(name) : Optional.empty();
    }

    /**
     * The file a delivery runs: what {@code ~/.dovecot.sieve} is or points to, when that is a regular file
     * (Pigeonhole runs the active path as it finds it).
     */
    public Optional<Path> activeScript() {
        return Files.isRegularFile(activeLink) ? Optional.of(activeLink) : Optional.empty();
    }

    /** The file of the script {@code name} in the store (for {@code include :personal}), when it exists. */
    public Optional<Path> script(ScriptName name) {
        var file = fileOf(name);
        return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
    }

    public String read(ScriptName name) throws IOException {
        try {
            var file = fileOf(name);
            if (Files.size(file) > maxScriptSize) {
                throw new ScriptStoreException(Reason.TOO_LARGE, "the script is larger than sieve.maxScriptSize");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw missing(name);
        }
    }

    /** Whether a script of {@code size} bytes named {@code name} could be stored (ManageSieve's HAVESPACE). */
    public void checkSpace(ScriptName name, long size) throws IOException {
        if (size > maxScriptSize) {
            throw new ScriptStoreException(Reason.TOO_LARGE,
                    "a script may be at most " + maxScriptSize + " bytes long");
        }
        if (!Files.isRegularFile(fileOf(name)) && names().size() >= maxScripts) {
            throw new ScriptStoreException(Reason.TOO_MANY_SCRIPTS, "at most " + maxScripts + " scripts may be stored");
        }
    }

    /** Stores {@code text} as {@code name}, replacing a script of that name in one step. */
    public void write(ScriptName name, String text) throws IOException {
        var bytes = text.getBytes(StandardCharsets.UTF_8);
        checkSpace(name, bytes.length);
        Files.createDirectories(directory);
        var temporary = directory.resolve(".tmp." + UUID.randomUUID());
        try {
            try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                var buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (fsync) {
                    channel.force(true);
                }
            }
            Files.move(temporary, fileOf(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(directory);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes a script that is not the active one (RFC 5804 §2.10). */
    public void delete(ScriptName name) throws IOException {
        if (activeName().filter(name.value()::equals).isPresent()) {
            throw new ScriptStoreException(Reason.ACTIVE, "the active script cannot be deleted");
        }
        try {
            Files.delete(fileOf(name));
        } catch (NoSuchFileException e) {
            throw missing(name);
        }
        syncDirectory(directory);
    }

    /** Renames a script; the active link follows it (RFC 5804 §2.11.1). */
    public void rename(ScriptName from, ScriptName to) throws IOException {
        var source = fileOf(from);
        if (!Files.isRegularFile(source)) {
            throw missing(from);
        }
        var wasActive = activeName().filter(from.value()::equals).isPresent();
        try {
            // a hard link refuses an existing target, where a rename would replace it
            Files.createLink(fileOf(to), source);
        } catch (FileAlreadyExistsException e) {
            throw new ScriptStoreException(Reason.ALREADY_EXISTS, "a script named " + to + " exists");
        }
        if (wasActive) {
            link(to);
        }
        Files.delete(source);
        syncDirectory(directory);
    }

    /** Makes {@code name} the active script. */
    public void activate(ScriptName name) throws IOException {
        if (!Files.isRegularFile(fileOf(name))) {
            throw missing(name);
        }
        rescueRegularFile();
        link(name);
    }

    /** Leaves no script active (SETACTIVE ""). */
    public void deactivate() throws IOException {
        rescueRegularFile();
        if (Files.deleteIfExists(activeLink)) {
            syncDirectory(home);
        }
    }

    private void link(ScriptName name) throws IOException {
        var temporary = home.resolve(".dovecot.sieve.tmp." + UUID.randomUUID());
        Files.createSymbolicLink(temporary, Path.of(DIRECTORY, name.value() + SUFFIX));
        try {
            Files.move(temporary, activeLink, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temporary);
        }
        syncDirectory(home);
    }

    /** A regular {@code ~/.dovecot.sieve} is someone's script: kept in the store, never overwritten. */
    private void rescueRegularFile() throws IOException {
        if (!Files.isRegularFile(activeLink, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.createDirectories(directory);
        var name = RESCUED;
        for (int n = 1; Files.exists(fileOf(new ScriptName(name)), LinkOption.NOFOLLOW_LINKS); n++) {
            name = RESCUED + "-" + n;
        }
        Files.move(activeLink, fileOf(new ScriptName(name)), StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(directory);
        syncDirectory(home);
    }

    private List<String> names() throws IOException {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        var names = new ArrayList<String>();
        try (Stream<Path> files = Files.list(directory)) {
            files.filter(Files::isRegularFile).map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(SUFFIX))
                    .map(f -> f.substring(0, f.length() - SUFFIX.length()))
                    .filter(n -> ScriptName.problem(n) == null)
                    .forEach(names::add);
        }
        names.sort(Comparator.naturalOrder());
        return names;
    }

    private Path fileOf(ScriptName name) {
        return directory.resolve(name.value() + SUFFIX);
    }

    private static ScriptStoreException missing(ScriptName name) {
        return new ScriptStoreException(Reason.NONEXISTENT, "there is no script named " + name);
    }

    private void syncDirectory(Path dir) throws IOException {
        if (fsync) {
            try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
                channel.force(true);
            }
        }
    }
}
