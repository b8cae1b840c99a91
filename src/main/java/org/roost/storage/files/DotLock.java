package org.roost.storage.files;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.roost.mail.StorageException;

/**
 * Dovecot's dot-lock with {@code dotlock_use_excl}: {@code <file>.lock} is created with
 * O_EXCL, the new contents are written into it, and it is renamed over {@code <file>}, which
 * replaces the file atomically and releases the lock in one step. Dovecot processes working on
 * the same Maildir honour the same lock. A lock whose mtime is older than the stale timeout is
 * taken to be left by a crashed process and broken.
 */
public final class DotLock implements AutoCloseable {

    /** How long to wait for a lock held by someone else, and when a lock left untouched is stale. */
    public interface Timing {
        Duration lockTimeout();

        Duration staleLock();
    }

    private static final System.Logger LOG = System.getLogger(DotLock.class.getName());

    private final Path target;
    private final Path lockFile;
    private final FileChannel channel;
    private final Durability durability;
    private final Runnable onAbort;
    private boolean finished;

    private DotLock(Path target, Path lockFile, FileChannel channel, Durability durability, Runnable onAbort) {
        this.target = target;
        this.lockFile = lockFile;
        this.channel = channel;
        this.durability = durability;
        this.onAbort = onAbort;
    }

    public static DotLock acquire(Path target, Timing options, Durability durability) throws IOException {
        return acquire(target, options, durability, () -> { });
    }

    /**
     * Takes the lock; {@code onAbort} runs if it is released without a new version of the file
     * having been written (e.g. after a failure), so callers can drop state that ran ahead.
     */
    public static DotLock acquire(Path target, Timing options, Durability durability, Runnable onAbort)
            throws IOException {
        var lockFile = target.resolveSibling(target.getFileName() + ".lock");
        long deadline = System.nanoTime() + options.lockTimeout().toNanos();
        long pauseMillis = 2;
        while (true) {
            try {
                var channel = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return new DotLock(target, lockFile, channel, durability, onAbort);
            } catch (FileAlreadyExistsException held) {
                breakIfStale(lockFile, options);
            }
            if (System.nanoTime() > deadline) {
                throw new StorageException("timed out waiting for lock " + lockFile.getFileName());
            }
            sleep(pauseMillis);
            pauseMillis = Math.min(pauseMillis * 2, 50);
        }
    }

    /**
     * A moment after this process started (when locking was first used): a lock older than that
     * was left by an earlier process. Not {@code ProcessHandle.info().startInstant()}: on Linux that
     * is counted from a boot time in whole seconds and can come out up to a second early, so a lock
     * taken by a predecessor killed just before this start looked younger than this process, and
     * a restart waited out the full stale timeout (CrashRecoveryTest's rare 60 s stall).
     */
    private static final Instant PROCESS_START = Instant.now();
    /**
     * A lock older than this process and untouched for this long is taken to be left by a crashed
     * predecessor (say Roost killed with SIGKILL), so a restart does not wait the full stale
     * timeout; a lock held that long by a live Dovecot is the price of this guess.
     */
    private static final Duration CRASHED_PREDECESSOR_AGE = Duration.ofSeconds(5);

    private static void breakIfStale(Path lockFile, Timing options) throws IOException {
        try {
            var modified = Files.getLastModifiedTime(lockFile).toInstant();
            var now = Instant.now();
            boolean leftByPredecessor = modified.isBefore(PROCESS_START)
                    && modified.plus(CRASHED_PREDECESSOR_AGE).isBefore(now);
            if (leftByPredecessor || modified.plus(options.staleLock()).isBefore(now)) {
                LOG.log(System.Logger.Level.WARNING, "breaking stale lock {0}", lockFile);
                Files.deleteIfExists(lockFile);
            }
        } catch (NoSuchFileException released) {
            // released meanwhile: the next attempt will get it
        }
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted waiting for a lock");
        }
    }

    /** Something to do with a file while the lock is still held. */
    @FunctionalInterface
    public interface WhileLocked {
        void accept(Path file) throws IOException;
    }

    /** Writes {@code contents} as the new version of the locked file and releases the lock. */
    public void replace(String contents) throws IOException {
        replace(contents, file -> { });
    }

    /**
     * Writes {@code contents} into the lock file, lets {@code beforeRename} look at it (it is the
     * inode that becomes the file), then renames it over the file, which releases the lock.
     */
    public void replace(String contents, WhileLocked beforeRename) throws IOException {
        replace(out -> out.write(contents), beforeRename);
    }

    /** Text written piece by piece, so that a large file (a uid list of a million lines) is never one string. */
    @FunctionalInterface
    public interface Text {
        void writeTo(Writer out) throws IOException;
    }

    /** As {@link #replace(String, WhileLocked)}, with the contents written by {@code contents}. */
    public void replace(Text contents, WhileLocked beforeRename) throws IOException {
        write(channel, contents);
        durability.sync(channel);
        channel.close();
        beforeRename.accept(lockFile);
        Files.move(lockFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        finished = true;
        durability.syncDirectory(target.toAbsolutePath().getParent());
    }

    /**
     * Appends {@code lines} to the locked file itself and makes them durable; lets
     * {@code beforeRelease} look at the file; then releases the lock. A crash half-way leaves a
     * partial last line, which readers skip as damage.
     */
    public void appendToTarget(Text lines, WhileLocked beforeRelease) throws IOException {
        try (var out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            long before = out.size();
            write(out, lines);
            if (out.size() != before) {
                durability.sync(out);
            }
        }
        beforeRelease.accept(target);
        finished = true;
        channel.close();
        Files.deleteIfExists(lockFile);
    }

    private static void write(WritableByteChannel channel, Text text) throws IOException {
        // Not closed: closing the writer would close the channel, which the caller still needs. The encoder
        // beneath writes the channel in 8 kB pieces whatever this buffer's size, which only gathers the small
        // writes of a line: a large one would be allocated for every delivery's line of the uid list.
        var out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8), 1024);
        text.writeTo(out);
        out.flush();
    }

    /** Releases the lock without changing the file. */
    @Override
    public void close() throws IOException {
        if (finished) {
            return;
        }
        finished = true;
        try {
            channel.close();
            Files.deleteIfExists(lockFile);
        } finally {
            onAbort.run();
        }
    }
}
