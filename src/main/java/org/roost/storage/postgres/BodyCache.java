package org.roost.storage.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.roost.mail.MailUnavailableException;
import org.roost.storage.files.Trees;

/**
 * The bodies this replica read or stored lately, as files under its data directory, so that a FETCH reads the disk
 * instead of the object store. Bodies are content-addressed and never change, so a kept copy is never stale; it can
 * only be damaged (a crash after the rename, before the kernel wrote the bytes; a disk fault), so every read checks
 * the file's size and SHA-256 against its name before a byte is served, and a damaged file is deleted and fetched
 * again. Files appear under their final name only by a rename of a complete one ({@code .part} files are a fill in
 * progress, deleted at start). The files' total, each counted in whole {@value #BLOCK}-byte blocks, stays within
 * {@code mail.postgres.bodyCacheBytes}: the least valuable are deleted first (Caffeine's size eviction); a body
 * larger than an eighth of that is never kept, so one large attachment cannot flush everything else.
 */
final class BodyCache {
    private static final System.Logger LOG = System.getLogger(BodyCache.class.getName());
    private static final Pattern KEY = Pattern.compile("[0-9a-f]{64}");
    private static final String PART = ".part";
    private static final int BLOCK = 4096;
    /** Bodies up to this size are checked in memory and served from there: one read of the file. */
    private static final int IN_MEMORY = 256 * 1024;
    private static final int BUFFER = 64 * 1024;
    private final Path directory;
    private final long largestKept;
    private final Cache<String, Long> sizes;

    private BodyCache(Path directory, long bytes) {
        this.directory = directory;
        this.largestKept = bytes / 8;
        this.sizes = Caffeine.newBuilder().maximumWeight(bytes)
                .weigher((String key, Long size) -> (int) Math.min(Integer.MAX_VALUE, blocks(size)))
                // The file goes with its entry, under the entry's lock: a fill of the same key waits for it.
                .evictionListener((String key, Long size, RemovalCause cause) -> deleteQuietly(file(key)))
                .executor(Runnable::run)
                .build();
    }

    private static long blocks(long size) {
        return Math.max(1, (size + BLOCK - 1) / BLOCK) * BLOCK;
    }

    /**
     * The cache under {@code directory}, at most {@code bytes} of files, with the complete files a previous run
     * left there (unchecked until read; beyond the bound, evicted at once); null when {@code bytes} is 0.
     */
    static BodyCache open(Path directory, long bytes) throws IOException {
        if (bytes == 0) {
            return null;
        }
        var cache = new BodyCache(Files.createDirectories(directory), bytes);
        cache.adoptLeftovers();
        return cache;
    }

    private void adoptLeftovers() throws IOException {
        try (var shards = Files.newDirectoryStream(directory)) {
            for (var shard : shards) {
                if (!Files.isDirectory(shard)) {
                    deleteQuietly(shard); // a fill's .part, or nothing of ours
                    continue;
                }
                adoptShard(shard);
            }
        }
        sizes.cleanUp();
    }

    private void adoptShard(Path shard) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
            for (var file : files) {
                var key = file.getFileName().toString();
                if (KEY.matcher(key).matches() && file.equals(file(key)) && Files.isRegularFile(file)) {
                    sizes.put(key, Files.size(file));
                } else {
                    deleteQuietly(file);
                }
            }
        }
    }

    /** Where body {@code key} is kept: under a directory of its first two hex digits (256 at most). */
    private Path file(String key) {
        return directory.resolve(key.substring(0, 2)).resolve(key);
    }

    /**
     * The bytes of body {@code key} if this replica keeps them intact, else null (a damaged or unreadable copy is
     * deleted).
     */
    InputStream read(String key) {
        var size = sizes.getIfPresent(key);
        if (size == null) {
            return null;
        }
        try {
            var channel = FileChannel.open(file(key), StandardOpenOption.READ);
            try {
                var intact = intact(channel, key, size);
                if (intact != null) {
                    return intact;
                }
                channel.close();
            } catch (IOException | RuntimeException e) {
                channel.close();
                throw e;
            }
            LOG.log(System.Logger.Level.WARNING, "damaged cached body {0} deleted, read from the object store again",
                    key);
        } catch (NoSuchFileException evictedMeanwhile) {
            return null;
        } catch (IOException unreadable) { // a disk error, a directory in its place: the bucket still has it
            LOG.log(System.Logger.Level.WARNING, "unreadable cached body {0} ({1}) deleted, read from the object"
                    + " store again", key, unreadable.getMessage());
        }
        forget(key);
        return null;
    }

    /**
     * The file's bytes when its size is {@code size} and its SHA-256 is {@code key}, else null: a small body from
     * memory (the channel then closed), a larger one from the channel, rewound.
     */
    private static InputStream intact(FileChannel channel, String key, long size) throws IOException {
        if (channel.size() != size) {
            return null;
        }
        var digest = Bodies.sha256();
        if (size <= IN_MEMORY) {
            var bytes = ByteBuffer.allocate((int) size);
            while (bytes.hasRemaining() && channel.read(bytes) >= 0) {
                // until full or at its end
            }
            channel.close();
            digest.update(bytes.array(), 0, bytes.position());
            return hex(digest).equals(key) ? new ByteArrayInputStream(bytes.array(), 0, bytes.position()) : null;
        }
        var buffer = ByteBuffer.allocate(BUFFER);
        while (channel.read(buffer.clear()) > 0) {
            digest.update(buffer.flip());
        }
        return hex(digest).equals(key) ? Channels.newInputStream(channel.position(0)) : null;
    }

    private static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Drops the entry and its file (or whatever took its place) together. */
    private void forget(String key) {
        sizes.asMap().computeIfPresent(key, (k, size) -> {
            deleteTreeQuietly(file(k));
            return null;
        });
    }

    /** Whether a body of {@code size} bytes is small enough to keep (an unknown size, -1, may be). */
    boolean keeps(long size) {
        return size <= largestKept;
    }

    /**
     * Keeps body {@code key} from {@code in} (the object store's stream) and returns its bytes from the kept file;
     * the bytes are checked against the key first, so a wrong object is never served nor kept. Returns null when
     * the body turned out too large to keep, or the cache cannot write (a full disk: logged); the caller then reads
     * the store directly.
     *
     * @throws MailUnavailableException when the object store stops answering midway
     */
    InputStream fill(String key, InputStream in) throws IOException {
        var part = Files.createTempFile(directory, "body-", PART);
        try {
            long written = copyChecked(key, in, part);
            if (!keeps(written) || !keep(key, part, written)) {
                return null;
            }
            return read(key);
        } catch (CacheWriteException e) {
            LOG.log(System.Logger.Level.WARNING, "body cache not written ({0}): reading the object store directly",
                    e.getCause().getMessage());
            return null;
        } finally {
            deleteQuietly(part);
        }
    }

    /** The cache's own file could not be written: not the client's problem, only a lost saving. */
    private static final class CacheWriteException extends IOException {
        CacheWriteException(IOException cause) {
            super(cause);
        }
    }

    private static long copyChecked(String key, InputStream in, Path part) throws IOException {
        var digest = Bodies.sha256();
        long written = 0;
        try (var out = Files.newOutputStream(part)) {
            var buffer = new byte[BUFFER];
            for (int n; (n = readStore(in, buffer)) > 0; written += n) {
                digest.update(buffer, 0, n);
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new CacheWriteException(e);
                }
            }
        } catch (CacheWriteException e) {
            throw e;
        } catch (MailUnavailableException e) {
            throw e;
        } catch (IOException e) {
            throw new CacheWriteException(e); // the close, which writes the last bytes
        }
        if (!hex(digest).equals(key)) {
            throw new IOException("the object store's body " + key + " does not match its key (SHA-256)");
        }
        return written;
    }

    private static int readStore(InputStream in, byte[] buffer) throws MailUnavailableException {
        try {
            return in.read(buffer);
        } catch (IOException | RuntimeException e) {
            var unavailable = new MailUnavailableException("the object store stopped answering midway");
            unavailable.initCause(e);
            throw unavailable;
        }
    }

    /**
     * Keeps {@code file}, whose bytes the caller checked are body {@code key}, by renaming it (it is gone from where
     * it was when this returns true); false when it is too large or not on the cache's file system.
     */
    boolean adopt(String key, Path file, long size) throws IOException {
        return keeps(size) && keep(key, file, size);
    }

    private boolean keep(String key, Path file, long size) throws IOException {
        var target = file(key);
        Files.createDirectories(target.getParent());
        boolean[] moved = {false};
        try {
            sizes.asMap().compute(key, (k, old) -> {
                try {
                    Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                    moved[0] = true;
                    return size;
                } catch (AtomicMoveNotSupportedException elsewhere) {
                    return old;
                } catch (IOException e) {
                    throw new UncheckedCacheWrite(e);
                }
            });
        } catch (UncheckedCacheWrite e) {
            throw new CacheWriteException(e.getCause());
        }
        sizes.cleanUp();
        return moved[0];
    }

    /** A failed rename, out of the cache's compute. */
    private static final class UncheckedCacheWrite extends RuntimeException {
        UncheckedCacheWrite(IOException cause) {
            super(cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static void deleteTreeQuietly(Path path) {
        try {
            Trees.delete(path);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", path, e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot delete {0}: {1}", file, e.getMessage());
        }
    }
}
