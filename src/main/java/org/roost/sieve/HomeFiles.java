package org.roost.sieve;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Files in a user's home that delivery keeps and that the server and {@code roost deliver} both change: each change
 * under a lock of this process and a file lock ({@code FILE.lock}) the other processes honour, a whole new content
 * by rename, so a reader never sees half of one.
 */
final class HomeFiles {
    private static final ReentrantLock[] LOCKS = new ReentrantLock[64];

    static {
        for (int i = 0; i < LOCKS.length; i++) {
            LOCKS[i] = new ReentrantLock();
        }
    }

    private HomeFiles() {}

    /** Work on a file that may fail. */
    interface Work<T> {
        T run() throws IOException;
    }

    /** Runs {@code work} holding {@code file}'s locks (its directory created first). */
    static <T> T locked(Path file, Work<T> work) throws IOException {
        var lock = LOCKS[Math.floorMod(file.hashCode(), LOCKS.length)];
        lock.lock();
        try {
            Files.createDirectories(file.getParent());
            try (var channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE); var ignored = channel.lock()) {
                return work.run();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Replaces {@code file}'s content by rename of a new file (synced first with {@code fsync}); call it locked. */
    static void replace(Path file, byte[] content, boolean fsync) throws IOException {
        var temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var channel = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            write(channel, content);
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    static void write(FileChannel channel, byte[] content) throws IOException {
        var buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
