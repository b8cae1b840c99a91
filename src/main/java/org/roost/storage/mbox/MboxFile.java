package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.roost.mail.MailboxNotFoundException;

/**
 * One mbox file as this process uses it: a single channel (POSIX record locks belong to the process
 * and closing any descriptor of a file drops them all, so every read and lock goes through this one),
 * and the locking discipline between this process's threads and other programs:
 * <ul>
 * <li>readers hold this process's read lock and, shared among them, the configured read locks of
 *     other programs (fcntl by default), only while they read a piece;</li>
 * <li>one writer at a time holds the configured write locks (dot-lock and fcntl by default); while it
 *     prepares a change (reads, writes a journal) this process's readers go on; only for the moment
 *     it changes the file ({@link Writer#exclusive}) do they wait.</li>
 * </ul>
 */
final class MboxFile {

    interface Action<T> {
        T run(FileChannel channel) throws IOException;
    }

    interface WriteWork<T> {
        T run(Writer writer) throws IOException;
    }

    interface Change {
        void run() throws IOException;
    }

    private final Path path;
    private final MboxLocking locking;
    private final ReentrantReadWriteLock rw = new ReentrantReadWriteLock();
    private final ReentrantLock writers = new ReentrantLock();
    private final ReentrantLock shared = new ReentrantLock();
    private FileChannel channel;
    private Object channelKey;
    private int sharedHolders;
    private List<HeldLock> sharedLocks = List.of();
    private volatile boolean exclusiveHeld;

    /**
     * One per file in this process, whichever store opened it: Java refuses a second channel's lock on a
     * file this process already locked, and POSIX locks are the process's anyway.
     */
    private static final ConcurrentHashMap<Path, MboxFile> OPEN = new ConcurrentHashMap<>();

    private MboxFile(Path path, MboxLocking locking) {
        this.path = path;
        this.locking = locking;
    }

    static MboxFile of(Path path, MboxLocking locking) {
        return OPEN.computeIfAbsent(path.toAbsolutePath().normalize(), p -> new MboxFile(p, locking));
    }

    Path path() {
        return path;
    }

    /**
     * Runs {@code action} with the file's content steady (read locks held), as the one reader that
     * decides what the file says (a sync): other syncs and writers of this process wait, and a file
     * that another program replaced is opened again first.
     */
    <T> T readInTurn(Action<T> action) throws IOException {
        writers.lock();
        try {
            if (!exclusiveHeld) {
                rw.writeLock().lock();
                try {
                    reopenIfReplaced();
                } finally {
                    rw.writeLock().unlock();
                }
            }
            return read(action);
        } finally {
            writers.unlock();
        }
    }

    /**
     * Runs {@code action} with the file's content steady (read locks held); the file must have been read in turn
     * before. A file closed since ({@link #release}) is opened again first, in turn.
     */
    <T> T read(Action<T> action) throws IOException {
        rw.readLock().lock();
        try {
            if (channel != null) {
                return whileShared(action);
            }
        } finally {
            rw.readLock().unlock();
        }
        return readInTurn(action);
    }

    /** Called under the read lock. */
    private <T> T whileShared(Action<T> action) throws IOException {
        boolean external = acquireShared();
        try {
            return action.run(channel);
        } finally {
            if (external) {
                releaseShared();
            }
        }
    }

    /**
     * Closes the channel to give its descriptor back; the next read opens the file again in turn. False when the
     * file is in use (read, written, or locked against other programs: closing would drop this process's locks).
     */
    boolean release() {
        if (!writers.tryLock()) {
            return false;
        }
        try {
            if (!rw.writeLock().tryLock()) {
                return false;
            }
            try {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException ignored) {
                        // a file only read between changes, each complete when it returned: nothing is lost
                    }
                    channel = null;
                    channelKey = null;
                }
                return true;
            } finally {
                rw.writeLock().unlock();
            }
        } finally {
            writers.unlock();
        }
    }

    /**
     * Runs {@code work} as the one writer, holding the write locks of other programs throughout;
     * other writers of this process wait (a sync is a writer too: it decides what the file says).
     */
    <T> T write(WriteWork<T> work) throws IOException {
        writers.lock();
        try {
            List<HeldLock> held;
            rw.writeLock().lock();
            try {
                reopenIfReplaced();
                held = locking.acquire(path, channel, true);
                exclusiveHeld = true;
                rw.readLock().lock(); // a downgrade: readers may go on while the writer prepares
            } finally {
                rw.writeLock().unlock();
            }
            try {
                return work.run(new Writer(held));
            } finally {
                rw.readLock().unlock();
                rw.writeLock().lock();
                try {
                    exclusiveHeld = false;
                    MboxLocking.release(held);
                } finally {
                    rw.writeLock().unlock();
                }
            }
        } finally {
            writers.unlock();
        }
    }

    /** What a writer may do. */
    final class Writer {
        private final List<HeldLock> held;

        private Writer(List<HeldLock> held) {
            this.held = held;
        }

        FileChannel channel() {
            return channel;
        }

        /** During long work: keeps the dot-lock fresh so other programs do not break it as stale. */
        void keepAlive() throws IOException {
            for (var lock : held) {
                lock.keepAlive();
            }
        }

        /** Changes the file while this process's readers wait. */
        void exclusive(Change change) throws IOException {
            rw.readLock().unlock();
            rw.writeLock().lock();
            try {
                change.run();
            } finally {
                rw.readLock().lock();
                rw.writeLock().unlock();
            }
        }
    }

    /** Opens the channel, or opens it again when the file was replaced (renamed over) by another program. */
    private void reopenIfReplaced() throws IOException {
        var stamp = FileStamp.of(path);
        if (stamp == null) {
            throw new MailboxNotFoundException("mbox file is gone: " + path.getFileName());
        }
        if (channel != null && channel.isOpen() && Objects.equals(stamp.key(), channelKey)) {
            return;
        }
        if (channel != null) {
            channel.close();
        }
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (AccessDeniedException readOnly) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException gone) {
            throw new MailboxNotFoundException("mbox file is gone: " + path.getFileName());
        }
        channelKey = stamp.key();
    }

    /** Called under the read lock: takes the shared locks of other programs unless this process writes. */
    private boolean acquireShared() throws IOException {
        if (exclusiveHeld) {
            return false;
        }
        shared.lock();
        try {
            if (sharedHolders == 0) {
                if (channel == null || !channel.isOpen()) {
                    throw new IllegalStateException("mbox read before the file was opened");
                }
                sharedLocks = locking.acquire(path, channel, false);
            }
            sharedHolders++;
            return true;
        } finally {
            shared.unlock();
        }
    }

    private void releaseShared() throws IOException {
        shared.lock();
        try {
            if (--sharedHolders == 0) {
                var locks = sharedLocks;
                sharedLocks = List.of();
                MboxLocking.release(locks);
            }
        } finally {
            shared.unlock();
        }
    }

    /** Closes the channel (the mailbox was deleted or renamed); the next use opens the file again. */
    void close() throws IOException {
        writers.lock();
        rw.writeLock().lock();
        try {
            OPEN.remove(path, this);
            if (channel != null) {
                channel.close();
                channel = null;
            }
        } finally {
            rw.writeLock().unlock();
            writers.unlock();
        }
    }
}
