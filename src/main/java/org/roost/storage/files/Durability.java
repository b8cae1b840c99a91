package org.roost.storage.files;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** fsync of files and directories, switchable for tests. */
public final class Durability {

    private final boolean enabled;

    public Durability(boolean enabled) {
        this.enabled = enabled;
    }

    public void sync(FileChannel channel) throws IOException {
        if (enabled) {
            channel.force(true);
        }
    }

    /** Makes a directory's entries (a new, renamed or removed name) durable. */
    public void syncDirectory(Path dir) throws IOException {
        if (!enabled) {
            return;
        }
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Starts making a directory's entries durable on a thread of its own, so that the caller's next fsync
     * runs beside it (the file system commits both at once) instead of after it; {@link Pending#await} waits.
     */
    public Pending syncDirectoryAside(Path dir) {
        if (!enabled) {
            return () -> { };
        }
        var failure = new CompletableFuture<IOException>();
        Thread.ofVirtual().name("fsync-dir").start(() -> {
            try {
                syncDirectory(dir);
                failure.complete(null);
            } catch (IOException e) {
                failure.complete(e);
            } catch (RuntimeException e) {
                failure.complete(new IOException(e));
            }
        });
        return () -> {
            IOException e;
            try {
                e = failure.get();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted waiting for an fsync");
            } catch (ExecutionException impossible) {
                throw new IOException(impossible.getCause());
            }
            if (e != null) {
                throw e;
            }
        };
    }

    /** An fsync under way. */
    @FunctionalInterface
    public interface Pending {
        void await() throws IOException;
    }

    /** Makes a file's bytes and metadata (such as a changed mtime) durable. */
    public void syncFile(Path file) throws IOException {
        if (!enabled) {
            return;
        }
        try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }
}
