package org.roost.storage.mbox;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.mail.MailboxInUseException;

/**
 * Takes the locks other programs honour, in the configured order, waiting at most the lock timeout
 * for all of them together; on a timeout the ones taken are let go and the caller is told the
 * mailbox is in use. Nothing here waits on a client: callers hold these locks only while they read
 * or write the file.
 */
final class MboxLocking {
    private static final long FIRST_PAUSE_MILLIS = 5;
    private static final long MAX_PAUSE_MILLIS = 100;

    private final List<LockMethod> read;
    private final List<LockMethod> write;
    private final Duration timeout;
    private final Duration dotlockStale;
    private final Optional<Flock> flock;

    MboxLocking(MboxOptions options) {
        this.read = options.readLocks();
        this.write = options.writeLocks();
        this.timeout = options.lockTimeout();
        this.dotlockStale = options.dotlockStale();
        this.flock = read.contains(LockMethod.FLOCK) || write.contains(LockMethod.FLOCK) ? Flock.available()
                : Optional.empty();
        if ((read.contains(LockMethod.FLOCK) || write.contains(LockMethod.FLOCK)) && flock.isEmpty()) {
            throw new IllegalArgumentException("mail.mbox: flock locking needs Java 22 or newer on Linux");
        }
    }

    /** Takes the read or the write locks of {@code file} ({@code channel} is its one channel in this process). */
    List<HeldLock> acquire(Path file, FileChannel channel, boolean exclusive) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        var held = new ArrayList<HeldLock>();
        try {
            for (var method : exclusive ? write : read) {
                held.add(acquire(method, file, channel, exclusive, deadline));
            }
            return held;
        } catch (IOException | RuntimeException e) {
            release(held);
            throw e;
        }
    }

    static void release(List<HeldLock> held) throws IOException {
        IOException failure = null;
        for (int i = held.size() - 1; i >= 0; i--) {
            try {
                held.get(i).close();
            } catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private HeldLock acquire(LockMethod method, Path file, FileChannel channel, boolean exclusive, long deadline)
            throws IOException {
        long pause = FIRST_PAUSE_MILLIS;
        while (true) {
            var lock = tryOnce(method, file, channel, exclusive);
            if (lock != null) {
                return lock;
            }
            if (System.nanoTime() > deadline) {
                throw new MailboxInUseException("the mailbox is locked by another program (" + method.name()
                        .toLowerCase(java.util.Locale.ROOT) + " lock held for over " + timeout.toSeconds() + " s)");
            }
            sleep(pause);
            pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
        }
    }

    private HeldLock tryOnce(LockMethod method, Path file, FileChannel channel, boolean exclusive)
            throws IOException {
        return switch (method) {
            case DOTLOCK -> DotLockFile.tryAcquire(file, dotlockStale, false);
            case DOTLOCK_TRY -> DotLockFile.tryAcquire(file, dotlockStale, true);
            case FCNTL -> {
                var lock = channel.tryLock(0, Long.MAX_VALUE, !exclusive);
                yield lock == null ? null : lock::release;
            }
            case FLOCK -> flock.orElseThrow().tryLock(file, exclusive);
        };
    }

    private static void sleep(long millis) throws IOException {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an mbox lock");
        }
    }
}
