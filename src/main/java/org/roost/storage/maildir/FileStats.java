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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Stats the files of one directory as a listing names them: modification time and size of each.
 * Names are taken in chunks; once a folder turns out large, each full chunk goes to a few threads
 * while the directory is still being read. With a cold cache every stat waits for its inode, and
 * a million waits one after the other take many seconds where overlapping ones take a few.
 */
final class FileStats implements AutoCloseable {

    private static final int CHUNK = 2048;
    private static final int THREADS = 16;
    /** Message files stat'ed by the Maildir mailboxes of this process (for tests). */
    private static final LongAdder STATS = new LongAdder();

    /** The stats of a run of names: size -1 where the file is gone (renamed meanwhile) or not a regular file. */
    record Chunk(String[] names, int count, long[] modified, long[] sizes) {
    }

    private final Path dir;
    private final List<Future<Chunk>> done = new ArrayList<>();
    private ExecutorService pool;
    private String[] names = new String[CHUNK];
    private int count;
    private int total;

    FileStats(Path dir) {
        this.dir = dir;
    }

    /** Takes one more name; a full chunk is handed to the threads. */
    void add(String name) {
        names[count++] = name;
        total++;
        if (count == CHUNK) {
            if (pool == null) {
                pool = Executors.newFixedThreadPool(THREADS, Thread.ofPlatform().daemon().name("maildir-stat-", 0).factory());
            }
            var chunk = names;
            done.add(pool.submit(() -> stat(chunk, CHUNK)));
            names = new String[CHUNK];
            count = 0;
        }
    }

    /** How many names were taken. */
    int total() {
        return total;
    }

    /** The stats of every name, in the order taken; the last chunk is done by the caller. */
    List<Chunk> finish() throws IOException {
        var chunks = new ArrayList<Chunk>(done.size() + 1);
        try {
            for (var future : done) {
                chunks.add(future.get());
            }
        } catch (ExecutionException e) {
            throw e.getCause() instanceof UncheckedIOException io ? io.getCause()
                    : new IOException("cannot stat the files of " + dir, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while listing " + dir);
        }
        try {
            chunks.add(stat(names, count));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return chunks;
    }

    private Chunk stat(String[] chunk, int n) {
        var modified = new long[n];
        var sizes = new long[n];
        for (int i = 0; i < n; i++) {
            try {
                var attributes = of(dir.resolve(chunk[i]));
                modified[i] = nanos(attributes);
                sizes[i] = attributes.isRegularFile() ? attributes.size() : -1;
            } catch (NoSuchFileException renamed) {
                sizes[i] = -1;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Chunk(chunk, n, modified, sizes);
    }

    /** The attributes of one message file, not following a link (counted: see {@link #messageStats()}). */
    static BasicFileAttributes of(Path file) throws IOException {
        STATS.increment();
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    }

    /** How many message files were stat'ed, by every Maildir mailbox of this process (for tests). */
    static long messageStats() {
        return STATS.sum();
    }

    static long nanos(BasicFileAttributes attributes) {
        return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
