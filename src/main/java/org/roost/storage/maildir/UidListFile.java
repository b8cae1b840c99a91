package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import org.roost.storage.files.DotLock;

/**
 * Reads and writes {@code dovecot-uidlist}.
 *
 * <p>Reading is skipped while the file is unchanged since this process last read or wrote it.
 * Like Dovecot, it tells "unchanged" by inode and size while it keeps the file open: an open
 * file's inode cannot be reused by a replacement, appends always grow the file, and nobody
 * rewrites it in place.
 *
 * <p>Writing appends the new records when only UIDs were added, as Dovecot does (a reader
 * takes the next UID as at least the last UID plus one, so the header may lag); anything else
 * rewrites the file through the lock file and an atomic rename.
 */
final class UidListFile {

    private record Stamp(Object fileKey, long size) {
    }

    private final Path path;
    private UidList cached;
    private Stamp cachedStamp;
    private FileChannel held;

    UidListFile(Path path) {
        this.path = path;
    }

    Path path() {
        return path;
    }

    /** The list as on disk; empty when there is no file. The result may be the cached instance. */
    Optional<UidList> read() throws IOException {
        var current = stamp();
        if (current == null) {
            invalidate();
            return Optional.empty();
        }
        if (current.equals(cachedStamp) && held != null) {
            return Optional.of(cached);
        }
        invalidate();
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            var before = stamp();
            var bytes = readAll(channel);
            var after = stamp();
            int length = bytes.limit();
            var list = UidList.parse(bytes.array(), length, path.toString());
            if (Objects.equals(before, after) && after != null && after.size() == length) {
                hold(list, after, channel);
            } else {
                channel.close();
            }
            return Optional.of(list);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Writes {@code list} while {@code lock} is held, by appending when that suffices. */
    void store(DotLock lock, UidList list) throws IOException {
        invalidate();
        if (list.needsRewrite() || !endsWithNewline()) {
            lock.replace(list::format, written -> holdWhileLocked(list, written));
        } else {
            lock.appendToTarget(list::formatAppended, written -> holdWhileLocked(list, written));
        }
        list.markWritten();
    }

    /**
     * Keeps the just-written file open, with its stamp taken while the lock is still held, so a
     * later write by anyone shows as a different stamp.
     */
    private void holdWhileLocked(UidList list, Path written) throws IOException {
        var channel = FileChannel.open(written, StandardOpenOption.READ);
        try {
            var attributes = Files.readAttributes(written, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            hold(list, new Stamp(attributes.fileKey(), attributes.size()), channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void hold(UidList list, Stamp stamp, FileChannel channel) {
        cached = list;
        cachedStamp = stamp;
        held = channel;
    }

    /** Forgets the cached list, e.g. after a failed update left it ahead of the file. */
    void invalidate() {
        cached = null;
        cachedStamp = null;
        if (held != null) {
            try {
                held.close();
            } catch (IOException ignored) {
                // a read-only descriptor: nothing is lost
            }
            held = null;
        }
    }

    /**
     * Appending is safe only after a complete last line: a crash during an earlier append may
     * have left half a record, which the next record must not be glued to.
     */
    private boolean endsWithNewline() throws IOException {
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size == 0) {
                return false;
            }
            var last = ByteBuffer.allocate(1);
            return channel.read(last, size - 1) == 1 && last.get(0) == '\n';
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /**
     * The whole file, read into one array of its size (a million-record list is 60 MB: growing a
     * buffer and copying it out would hold it three times); a file that grew meanwhile is read on.
     */
    private static ByteBuffer readAll(FileChannel channel) throws IOException {
        var buffer = ByteBuffer.allocate((int) Math.min(channel.size() + 1, Integer.MAX_VALUE - 16));
        long position = 0;
        int read;
        while ((read = channel.read(buffer, position)) >= 0) {
            position += read;
            if (!buffer.hasRemaining()) {
                if (buffer.capacity() >= Integer.MAX_VALUE - 16) {
                    throw new IOException("uid list too large");
                }
                var grown = ByteBuffer.allocate((int) Math.min(buffer.capacity() * 2L, Integer.MAX_VALUE - 16));
                grown.put(buffer.flip());
                buffer = grown;
            }
        }
        return buffer.flip();
    }

    private Stamp stamp() throws IOException {
        try {
            var attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return new Stamp(attributes.fileKey(), attributes.size());
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
