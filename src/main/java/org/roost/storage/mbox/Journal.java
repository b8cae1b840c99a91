package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Crash-safe replacement of the end of an mbox file in place (its inode, owner and mode stay, so the
 * MTA and mutt keep writing the same file): every change that moves bytes (an append, an expunge, new
 * bookkeeping headers) replaces the file from some offset {@code from} to its end {@code oldEnd} by
 * new bytes. Those bytes are first written whole to a journal beside the mbox
 * ({@code .<name>.roost-journal}) and made durable; only then is the mbox changed: extended (one byte
 * at its new end) if it grows, written over from {@code from}, cut to its new length if it shrinks,
 * made durable; then the journal goes. A crash at any instant leaves either an untouched mbox and an
 * incomplete journal (thrown away) or a complete journal, which the next open applies again: applying
 * is idempotent, since it only writes the journal's bytes and sets the length.
 *
 * <p>The journal's header is written last, after its bytes are on disk (with {@code mail.fsync}): a
 * journal with a whole header is complete.
 *
 * <p>Should another program have appended to the mbox after a crash (one that honours fcntl locks but
 * not dot-locks, before the journal was applied again), its bytes are kept: they are recognized past
 * the size the crash left (which the journal's check of the old tail tells), put after the new bytes
 * in a new journal, and that one is applied.
 */
final class Journal {
    private static final byte[] MAGIC = "RMBXJ001".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADER = 48;
    private static final int TAIL_CHECK = 4096;
    private static final int COPY_CHUNK = 8 << 20;

    /** Writes the new bytes into the journal. */
    interface Producer {
        void writeTo(Output out) throws IOException;
    }

    /** Runs now and then during long copies (a writer keeps its dot-lock fresh). */
    interface Progress {
        void made() throws IOException;
    }

    /** Where a producer writes: bytes, or ranges copied from the mbox without passing through the heap. */
    static final class Output {
        private final FileChannel journal;
        private final Progress progress;
        private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        private long length;

        private Output(FileChannel journal, Progress progress) {
            this.journal = journal;
            this.progress = progress;
        }

        void write(byte[] bytes) throws IOException {
            write(bytes, 0, bytes.length);
        }

        void write(byte[] bytes, int offset, int count) throws IOException {
            if (pendingSource != null || count > buffer.remaining()) {
                flush();
            }
            if (count > buffer.capacity()) {
                writeFully(journal, ByteBuffer.wrap(bytes, offset, count), HEADER + length);
            } else {
                buffer.put(bytes, offset, count);
            }
            length += count;
        }

        /** The bytes written so far. */
        long length() {
            return length + pendingCount;
        }

        /** Writes {@code bytes} over what was written at {@code position} (a field filled in afterwards). */
        void patch(long position, byte[] bytes) throws IOException {
            flush();
            writeFully(journal, ByteBuffer.wrap(bytes), HEADER + position);
        }

        /**
         * Copies {@code count} bytes at {@code position} of {@code source}; copies of adjacent ranges
         * are gathered into one (a tail of untouched messages moves in one kernel copy).
         */
        void copy(FileChannel source, long position, long count) throws IOException {
            if (pendingSource == source && pendingFrom + pendingCount == position) {
                pendingCount += count;
                return;
            }
            flush();
            pendingSource = source;
            pendingFrom = position;
            pendingCount = count;
        }

        private FileChannel pendingSource;
        private long pendingFrom;
        private long pendingCount;

        private void copyPending() throws IOException {
            long done = 0;
            long at = HEADER + length;
            while (done < pendingCount) {
                long n = pendingSource.transferTo(pendingFrom + done, Math.min(COPY_CHUNK, pendingCount - done),
                        journal.position(at + done));
                if (n <= 0) {
                    throw new IOException("the mbox ended early while it was being copied");
                }
                done += n;
                progress.made();
            }
            length += pendingCount;
            pendingSource = null;
            pendingCount = 0;
        }

        private void flush() throws IOException {
            if (pendingSource != null) {
                copyPending();
            }
            if (buffer.position() > 0) {
                buffer.flip();
                long at = HEADER + length - buffer.remaining();
                writeFully(journal, buffer, at);
                buffer.clear();
            }
        }
    }

    private final Path path;
    private final long from;
    private final long oldEnd;
    private final long length;

    private Journal(Path path, long from, long oldEnd, long length) {
        this.path = path;
        this.from = from;
        this.oldEnd = oldEnd;
        this.length = length;
    }

    static Path pathFor(Path mbox) {
        return mbox.resolveSibling("." + mbox.getFileName() + ".roost-journal");
    }

    /**
     * Writes (and makes durable) the journal that replaces {@code [from, oldEnd)} of {@code mbox} by
     * what {@code producer} writes; {@code progress} runs now and then during long copies.
     */
    static Journal prepare(Path mboxPath, FileChannel mbox, long from, long oldEnd, Producer producer,
                           boolean fsync, Progress progress) throws IOException {
        var path = pathFor(mboxPath);
        var written = path.resolveSibling(path.getFileName() + ".new");
        long length;
        try (var journal = FileChannel.open(written, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            var out = new Output(journal, progress);
            producer.writeTo(out);
            out.flush();
            length = out.length;
            if (fsync) {
                journal.force(false); // the bytes first: a header on disk then vouches for them
            }
            long tailStart = Math.max(from + length, oldEnd - TAIL_CHECK);
            int tailLength = (int) Math.max(0, oldEnd - tailStart);
            int tailCrc = tailLength == 0 ? 0 : crc(mbox, tailStart, tailLength);
            var header = ByteBuffer.allocate(HEADER);
            header.put(MAGIC).putLong(from).putLong(oldEnd).putLong(length).putInt(0).putInt(tailLength)
                    .putInt(tailCrc);
            var crc = new CRC32C();
            crc.update(header.array(), 0, HEADER - 4);
            header.putInt((int) crc.getValue()).flip();
            writeFully(journal, header, 0);
            if (fsync) {
                journal.force(true);
            }
        }
        // Renamed into place whole: a journal being replaced (see recover) stays valid until then.
        Files.move(written, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            syncDirectory(path.getParent());
        }
        return new Journal(path, from, oldEnd, length);
    }

    long from() {
        return from;
    }

    long length() {
        return length;
    }

    /** Changes the mbox as the journal says and makes it durable (callers hold every lock). */
    void apply(FileChannel mbox, boolean fsync) throws IOException {
        try (var journal = FileChannel.open(path, StandardOpenOption.READ)) {
            long newEnd = from + length;
            if (newEnd > oldEnd) {
                writeFully(mbox, ByteBuffer.wrap(new byte[1]), newEnd - 1); // grows the file in one step
            }
            long done = 0;
            while (done < length) {
                long n = mbox.transferFrom(journal.position(HEADER + done), from + done,
                        Math.min(COPY_CHUNK, length - done));
                if (n <= 0) {
                    throw new IOException("journal " + path.getFileName() + " ended early");
                }
                done += n;
            }
            if (newEnd < mbox.size()) {
                mbox.truncate(newEnd);
            }
            if (fsync) {
                mbox.force(true);
            }
        }
    }

    /** The change is done (or was never started): the journal goes. */
    void delete() throws IOException {
        Files.deleteIfExists(path);
    }

    /**
     * Finishes a change a crash interrupted: a complete journal is applied (keeping what others appended
     * since), an incomplete one removed. Returns true when the mbox was changed. Callers hold every lock.
     */
    static boolean recover(Path mboxPath, FileChannel mbox, boolean fsync) throws IOException {
        var path = pathFor(mboxPath);
        Files.deleteIfExists(path.resolveSibling(path.getFileName() + ".new")); // never got complete
        Journal journal;
        try (var channel = FileChannel.open(path, StandardOpenOption.READ)) {
            journal = read(path, channel);
        } catch (NoSuchFileException none) {
            return false;
        }
        if (journal == null) {
            Files.deleteIfExists(path);
            return false;
        }
        long size = mbox.size();
        long crashEnd = journal.sizeAtCrash(mbox, size);
        if (crashEnd < size) {
            journal = journal.withAppendedAfterCrash(mboxPath, mbox, crashEnd, size, fsync);
        }
        journal.apply(mbox, fsync);
        journal.delete();
        return true;
    }

    /** A complete journal, or null when it is damaged or incomplete (the mbox was not touched yet). */
    private static Journal read(Path path, FileChannel channel) throws IOException {
        var header = ByteBuffer.allocate(HEADER);
        if (channel.size() < HEADER || channel.read(header, 0) < HEADER) {
            return null;
        }
        header.flip();
        var magic = new byte[MAGIC.length];
        header.get(magic);
        var crc = new CRC32C();
        crc.update(header.array(), 0, HEADER - 4);
        if (!Arrays.equals(magic, MAGIC) || header.getInt(HEADER - 4) != (int) crc.getValue()) {
            return null;
        }
        long from = header.getLong();
        long oldEnd = header.getLong();
        long length = header.getLong();
        header.getInt(); // unused
        if (from < 0 || oldEnd < from || length < 0 || channel.size() != HEADER + length) {
            return null;
        }
        var journal = new Journal(path, from, oldEnd, length);
        journal.tailLength = header.getInt();
        journal.tailCrc = header.getInt();
        return journal;
    }

    private int tailLength;
    private int tailCrc;

    /**
     * The mbox's size when the crash came: the old end or the new one ({@link #apply} changes the
     * size in one step each way). Bytes past it were appended by another program since.
     */
    private long sizeAtCrash(FileChannel mbox, long size) throws IOException {
        long newEnd = from + length;
        if (size == oldEnd || size == newEnd) {
            return size;
        }
        if (newEnd < oldEnd) {
            // Shrinking: until the cut, the old tail past the new end is untouched.
            boolean uncut = size >= oldEnd && (tailLength == 0
                    || crc(mbox, oldEnd - tailLength, tailLength) == tailCrc);
            return uncut ? oldEnd : newEnd;
        }
        if (size < newEnd) {
            return oldEnd; // not grown yet (growing makes it newEnd at once)
        }
        // Grown, or not grown with another program's message after the old end: that one starts with
        // a From_ line, where a grown file holds zeros or the journal's own bytes.
        var there = ByteBuffer.allocate((int) Math.min(64, newEnd - oldEnd));
        mbox.read(there, oldEnd);
        var ours = ByteBuffer.allocate(there.capacity());
        try (var journal = FileChannel.open(path, StandardOpenOption.READ)) {
            journal.read(ours, HEADER + (oldEnd - from));
        }
        boolean zeros = true;
        for (int i = 0; i < there.position(); i++) {
            zeros &= there.get(i) == 0;
        }
        return zeros || there.flip().equals(ours.flip()) ? newEnd : oldEnd;
    }

    /** A journal with the bytes another program appended after the crash put after the new bytes. */
    private Journal withAppendedAfterCrash(Path mboxPath, FileChannel mbox, long crashEnd, long size, boolean fsync)
            throws IOException {
        try (var old = FileChannel.open(path, StandardOpenOption.READ)) {
            return prepare(mboxPath, mbox, from, size, out -> {
                out.copy(old, HEADER, length);
                out.copy(mbox, crashEnd, size - crashEnd);
            }, fsync, () -> { });
        }
    }

    private static int crc(FileChannel channel, long position, long count) throws IOException {
        var crc = new CRC32C();
        var buffer = ByteBuffer.allocate((int) Math.min(1 << 20, Math.max(1, count)));
        long done = 0;
        while (done < count) {
            buffer.clear().limit((int) Math.min(buffer.capacity(), count - done));
            int n = channel.read(buffer, position + done);
            if (n <= 0) {
                return ~(int) crc.getValue(); // shorter than expected: cannot match
            }
            buffer.flip();
            crc.update(buffer);
            done += n;
        }
        return (int) crc.getValue();
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            at += channel.write(buffer, at);
        }
    }

    private static void syncDirectory(Path dir) throws IOException {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
