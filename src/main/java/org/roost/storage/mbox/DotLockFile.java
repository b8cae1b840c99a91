package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The dot-lock every mbox program knows: {@code <mbox>.lock}, created exclusively, holding the
 * owner's process id as liblockfile writes it ({@code "<pid>\n"}). A lock is stale, and broken, when
 * it names a process that no longer exists on this machine (liblockfile's rule) or when nobody
 * touched it for the stale time (Dovecot's {@code mbox_dotlock_change_timeout}); a holder doing a
 * long rewrite therefore {@link #keepAlive() touches} it now and then.
 */
final class DotLockFile implements HeldLock {

    private static final System.Logger LOG = System.getLogger(DotLockFile.class.getName());
    private static final long PID = ProcessHandle.current().pid();

    private final Path lock;
    private final Object identity;
    private final Duration stale;
    private Instant touched = Instant.now();
    private boolean released;

    private DotLockFile(Path lock, Object identity, Duration stale) {
        this.lock = lock;
        this.identity = identity;
        this.stale = stale;
    }

    static Path lockFileOf(Path mbox) {
        return mbox.resolveSibling(mbox.getFileName() + ".lock");
    }

    /**
     * Takes the lock if nobody holds it (breaking a stale one); null when it is held. With
     * {@code skipIfDenied}, a directory we may not create files in gives a no-op lock (Dovecot's
     * {@code dotlock_try}).
     *
     * <p>The lock appears with the owner's process id already in it (liblockfile's and Dovecot's way: written
     * into a file of this process, then linked to the lock's name): one created empty and then written would,
     * if the process died between the two, be a lock whose owner nobody can check, which only the stale
     * time breaks. A process takes one dot-lock of a file at a time ({@link MboxFile}), so the temporary
     * name needs only its process id.
     */
    static HeldLock tryAcquire(Path mbox, Duration stale, boolean skipIfDenied) throws IOException {
        var lock = lockFileOf(mbox);
        var temp = temporary(lock, PID);
        try {
            Files.write(temp, (PID + "\n").getBytes(StandardCharsets.US_ASCII));
            Files.createLink(lock, temp);
            var identity = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return new DotLockFile(lock, identity, stale);
        } catch (FileAlreadyExistsException held) {
            breakIfStale(lock, stale);
            return null;
        } catch (AccessDeniedException denied) {
            if (skipIfDenied) {
                return () -> { };
            }
            throw denied;
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void breakIfStale(Path lock, Duration stale) throws IOException {
        try {
            var attributes = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            boolean untouched = attributes.lastModifiedTime().toInstant().plus(stale).isBefore(Instant.now());
            var goneOwner = goneOwner(lock);
            if (untouched || goneOwner.isPresent()) {
                LOG.log(System.Logger.Level.WARNING, "breaking stale lock {0}", lock);
                Files.deleteIfExists(lock);
            }
            if (goneOwner.isPresent()) { // killed between linking the lock and removing its temporary name
                Files.deleteIfExists(temporary(lock, goneOwner.getAsLong()));
            }
        } catch (NoSuchFileException released) {
            // released meanwhile: the next attempt takes it
        }
    }

    private static Path temporary(Path lock, long pid) {
        return lock.resolveSibling("." + lock.getFileName() + "." + pid);
    }

    /**
     * The process id of a lock naming one (and nothing else) whose process does not exist here: it was
     * left by a crash.
     */
    private static OptionalLong goneOwner(Path lock) throws IOException {
        byte[] content;
        try {
            content = Files.readAllBytes(lock);
        } catch (NoSuchFileException released) {
            return OptionalLong.empty();
        }
        var text = new String(content, StandardCharsets.US_ASCII).strip();
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        long pid = Long.parseLong(text);
        return pid > 0 && pid != PID && ProcessHandle.of(pid).isEmpty() ? OptionalLong.of(pid) : OptionalLong.empty();
    }

    @Override
    public void keepAlive() throws IOException {
        var now = Instant.now();
        if (Duration.between(touched, now).compareTo(stale.dividedBy(4)) > 0) {
            Files.setLastModifiedTime(lock, FileTime.from(now));
            touched = now;
        }
    }

    /** Removes the lock file, unless someone broke it meanwhile and holds their own. */
    @Override
    public void close() throws IOException {
        if (released) {
            return;
        }
        released = true;
        try {
            var now = Files.readAttributes(lock, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            if (Objects.equals(now, identity)) {
                Files.delete(lock);
            }
        } catch (NoSuchFileException gone) {
            // broken by someone who thought it stale
        }
    }
}
