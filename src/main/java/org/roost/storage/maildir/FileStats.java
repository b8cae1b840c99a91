package org.roost.storage.maildir;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Stats the files of one directory: modification time and size of each. A large folder is done
 * by a few threads at once: with a cold cache every stat waits for its inode to be read, and a
 * million waits one after the other take many seconds where overlapping ones take a few.
 */
final class FileStats {

    /** Below this many files the threads cost more than they save. */
    private static final int PARALLEL_FROM = 8192;
    private static final int THREADS = 8;
    private static final int CHUNK = 4096;

    private FileStats() {
    }

    /**
     * Fills {@code modified} (epoch nanoseconds) and {@code sizes} for each name; the size is -1
     * for a name that is gone (renamed meanwhile) or not a regular file.
     */
    static void read(Path dir, List<String> names, long[] modified, long[] sizes) throws IOException {
        if (names.size() < PARALLEL_FROM) {
            readRange(dir, names, modified, sizes, 0, names.size());
            return;
        }
        var pool = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("maildir-stat-", 0).factory());
        try {
            var tasks = new ArrayList<Future<?>>();
            for (int from = 0; from < names.size(); from += CHUNK) {
                int start = from;
                int end = Math.min(names.size(), from + CHUNK);
                tasks.add(pool.submit(() -> {
                    try {
                        readRange(dir, names, modified, sizes, start, end);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }));
            }
            for (var task : tasks) {
                task.get();
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
                    : new IOException("cannot stat the files of " + dir, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing " + dir);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void readRange(Path dir, List<String> names, long[] modified, long[] sizes, int from, int to)
            throws IOException {
        for (int i = from; i < to; i++) {
            try {
                var attributes = Files.readAttributes(dir.resolve(names.get(i)), BasicFileAttributes.class,
                        LinkOption.NOFOLLOW_LINKS);
                modified[i] = nanos(attributes);
                sizes[i] = attributes.isRegularFile() ? attributes.size() : -1;
            } catch (NoSuchFileException renamed) {
                sizes[i] = -1;
            }
        }
    }

    static long nanos(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }
}
