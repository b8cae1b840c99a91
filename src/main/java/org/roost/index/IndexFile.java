package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.zip.CRC32C;
import org.roost.storage.ChangeToken;

/**
 * The index file {@code roost.index}: a header and one fixed-size record per message, then the
 * storage keys and the keyword names. Written whole (to a temporary file, fsynced, renamed). The
 * records are read into the heap's columns through small buffers; the keys are mapped, so they never
 * enter the heap, and a key's page is resident only once that key was used.
 *
 * <p>Opening reads the header and the keyword names only: the header carries the numbers SELECT
 * reports ({@link TableSummary}), so a large mailbox is answered before its records are read.
 * The records are read by {@link Opened#table()}, which checks the body's checksum and every
 * record, and cross-checks the result against the header's summary.
 *
 * <pre>
 * header (128 bytes, little endian)
 *   0 magic "ROIX"   4 version      8 UIDVALIDITY     16 UIDNEXT      24 HIGHESTMODSEQ
 *  32 count         36 keywords    40 key bytes      48 token.deliveries  56 token.contents
 *  64 token.metadata 72 settled    76 first unseen row   80 log generation
 *  88 body CRC-32C (records, keys, keywords)   92 unseen count   96 last UID   100 keyword names CRC-32C
 * 104 keyword mask in use   112 total virtual size (of those known)   120 virtual sizes not known yet
 * 124 header CRC-32C (bytes 0..123)
 * record (48 bytes)
 *   0 uid  4 flags(16)  6 reserved  8 keyword mask  16 modseq  24 internal date (signed epoch s; that of
 *   -1000000000-01-01: not looked up yet)  32 size  36 virtual size (each 0xffffffff: not looked up yet)  40 key offset (into the key section: u16 length, UTF-8 bytes)
 * </pre>
 */
final class IndexFile {
    private static final int HEADER_CRC_AT = 124;

    private IndexFile() {}

    /** Thrown for any inconsistency: the caller rebuilds from the mail. */
    static class DamagedException extends IOException {
        DamagedException(String message) {
            super(message);
        }
    }

    /** An index file of an older format: rebuilt from the mail like a damaged one, but nothing is wrong. */
    static final class OutdatedException extends DamagedException {
        OutdatedException(int version) {
            super("of format version " + version + ", this server writes " + IndexFormat.VERSION);
        }
    }

    /**
     * An index file whose header and keyword names are valid; its records are read on demand. Holds no
     * descriptor and no mapping meanwhile: a mailbox opened for a STATUS may never read its records.
     */
    record Opened(Path file, long uidValidity, long uidNext, long highestModseq, ChangeToken token, long generation,
                  TableSummary summary, KeywordNames names, long size, ByteBuffer header) {

        /**
         * Reads and checks every record: the table the header describes. The records are read into the heap
         * through small buffers, so they stay in the page cache and not in this process; only the storage keys
         * are mapped (a key's page becomes resident when that key is used).
         */
        MessageTable table() throws DamagedException {
            try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
                var now = ByteBuffer.allocate(IndexFormat.HEADER_SIZE);
                readFully(channel, now, 0);
                check(channel.size() == size && now.flip().equals(header.duplicate().clear()),
                        "replaced since it was opened");
                check(bodyChecksum(channel) == header.getInt(88), "body checksum mismatch");
                int count = summary.count();
                long keyBytes = header.getLong(40);
                long recordsEnd = IndexFormat.HEADER_SIZE + (long) count * IndexFormat.RECORD_SIZE;
                var keys = new KeyArena(channel.map(FileChannel.MapMode.READ_ONLY, recordsEnd, keyBytes));
                var table = readRecords(channel, count, keyBytes, keys, names);
                check(TableSummary.of(table).equals(summary), "records disagree with the header");
                return table;
            } catch (DamagedException e) {
                throw e;
            } catch (IOException e) {
                throw new DamagedException("unreadable (" + e.getMessage() + ")");
            }
        }

        /** The CRC-32C of everything after the header (records, keys, keyword names). */
        private int bodyChecksum(FileChannel channel) throws IOException {
            var crc = new CRC32C();
            var buffer = ByteBuffer.allocate(READ_CHUNK);
            for (long at = IndexFormat.HEADER_SIZE; at < size; at += buffer.limit()) {
                buffer.clear().limit((int) Math.min(READ_CHUNK, size - at));
                readFully(channel, buffer, at);
                crc.update(buffer.flip());
            }
            return (int) crc.getValue();
        }
    }

    /** How much of the file one read brings into the heap (within the JDK's cached I/O buffer, see bin/roost). */
    private static final int READ_CHUNK = 64 * 1024;

    /** The index file's header and keyword names, checked; null when there is no index file. */
    static Opened open(Path file) throws IOException {
        ByteBuffer header;
        long size;
        ByteBuffer tail;
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            size = channel.size();
            check(size >= IndexFormat.HEADER_SIZE, "shorter than its header");
            check(size < Integer.MAX_VALUE, "too large");
            header = ByteBuffer.allocate(IndexFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, 0);
            tail = keywordSection(channel, header, size);
        } catch (NoSuchFileException e) {
            return null;
        }
        int count = header.getInt(32);
        int keywordCount = header.getInt(36);
        var names = readKeywords(tail, keywordCount);
        var namesCrc = new CRC32C();
        namesCrc.update(tail.clear());
        check((int) namesCrc.getValue() == header.getInt(100), "keyword names checksum mismatch");
        long uidNext = header.getLong(16);
        var summary = new TableSummary(count, Integer.toUnsignedLong(header.getInt(96)), header.getInt(76),
                header.getInt(92), header.getLong(104), header.getLong(112), header.getInt(120));
        check(summary.plausible(uidNext, keywordCount), "implausible summary");
        var token = new ChangeToken(header.getLong(48), header.getLong(56), header.getLong(64),
                header.getInt(72) == 1);
        return new Opened(file, header.getLong(8), uidNext, header.getLong(24), token, header.getLong(80), summary,
                names, size, header.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN));
    }

    /** Checks the header in {@code header} and reads the keyword names at the file's end (big endian). */
    private static ByteBuffer keywordSection(FileChannel channel, ByteBuffer header, long size) throws IOException {
        check(header.getInt(0) == IndexFormat.INDEX_MAGIC, "bad magic number");
        int version = header.getInt(4);
        if (version > 0 && version < IndexFormat.VERSION) {
            throw new OutdatedException(version);
        }
        check(version == IndexFormat.VERSION, "unknown version " + version);
        check(header.getInt(HEADER_CRC_AT) == IndexFormat.crc(header.array(), 0, HEADER_CRC_AT), "header checksum mismatch");
        int count = header.getInt(32);
        int keywordCount = header.getInt(36);
        long keyBytes = header.getLong(40);
        check(count >= 0 && keywordCount >= 0 && keywordCount <= KeywordNames.MAX && keyBytes >= 0, "bad counts");
        long keysEnd = IndexFormat.HEADER_SIZE + (long) count * IndexFormat.RECORD_SIZE + keyBytes;
        check(keysEnd <= size, "truncated");
        check(size - keysEnd <= (long) keywordCount * (2 + 0xffff), "trailing bytes");
        var tail = ByteBuffer.allocate((int) (size - keysEnd));
        readFully(channel, tail, keysEnd);
        return tail.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer into, long at) throws IOException {
        long position = at;
        while (into.hasRemaining()) {
            int n = channel.read(into, position);
            check(n >= 0, "truncated");
            position += n;
        }
    }

    private static KeywordNames readKeywords(ByteBuffer section, int count) throws DamagedException {
        var names = new ArrayList<String>(count);
        int p = 0;
        for (int i = 0; i < count; i++) {
            check(p + 2 <= section.capacity(), "keyword section truncated");
            int length = Short.toUnsignedInt(section.getShort(p));
            check(length > 0 && p + 2 + length <= section.capacity(), "keyword section truncated");
            var bytes = new byte[length];
            section.get(p + 2, bytes);
            names.add(new String(bytes, StandardCharsets.UTF_8));
            p += 2 + length;
        }
        check(p == section.capacity(), "trailing bytes");
        return new KeywordNames(names);
    }

    /**
     * Reads the records and, beside them, the keys' lengths (each record's key follows the previous one's:
     * {@link #write} lays them out so, and a record pointing elsewhere is damage), through two sequential
     * readers, so that neither the records nor the keys enter this process's memory here.
     */
    private static MessageTable readRecords(FileChannel channel, int count, long keyBytes, KeyArena keys,
                                            KeywordNames names) throws IOException {
        long keysAt = IndexFormat.HEADER_SIZE + (long) count * IndexFormat.RECORD_SIZE;
        var records = new Records(new Sequential(channel, IndexFormat.HEADER_SIZE, ByteOrder.LITTLE_ENDIAN),
                new Sequential(channel, keysAt, ByteOrder.BIG_ENDIAN), keyBytes,
                names.size() == 64 ? -1L : (1L << names.size()) - 1, MessageTable.builder(keys, names, count));
        long previous = 0;
        for (int i = 0; i < count; i++) {
            previous = records.add(i, previous);
        }
        check(records.keysRead == keyBytes, "keys that no record names");
        return records.table.build();
    }

    /** Reads a section of the file front to back through a small heap buffer. */
    private static final class Sequential {
        private final FileChannel channel;
        private final ByteBuffer buffer;
        /** The file position of the buffer's limit: where the next read starts. */
        private long next;

        Sequential(FileChannel channel, long from, ByteOrder order) {
            this.channel = channel;
            this.buffer = ByteBuffer.allocate(READ_CHUNK).order(order).limit(0);
            this.next = from;
        }

        /** The buffer, with at least {@code n} (at most {@link #READ_CHUNK}) bytes remaining from its position. */
        ByteBuffer next(int n) throws IOException {
            if (buffer.remaining() < n) {
                buffer.compact();
                while (buffer.position() < n) {
                    int read = channel.read(buffer, next);
                    check(read >= 0, "truncated");
                    next += read;
                }
                buffer.flip();
            }
            return buffer;
        }

        /** Passes over {@code n} bytes (beyond the buffer's too: the next read starts after them). */
        void skip(int n) throws IOException {
            int inBuffer = Math.min(n, buffer.remaining());
            buffer.position(buffer.position() + inBuffer);
            next += n - inBuffer;
        }
    }

    /**
     * Checks records and adds them to the table, one call per record rather than one loop body: the first
     * read of a large index after a restart runs before the JIT compiled any of this, and the JIT compiles
     * a method after a few hundred calls but a loop inside one call only after some 60,000 turns (on-stack
     * replacement), so a loop body of a dozen calls ran interpreted for most of 100,000 records.
     */
    private static final class Records {
        private final Sequential records;
        private final Sequential keys;
        private final long keyBytes;
        private final long validKeywords;
        private final MessageTable.Builder table;
        /** Where the next record's key must start in the key section. */
        private long keysRead;

        Records(Sequential records, Sequential keys, long keyBytes, long validKeywords, MessageTable.Builder table) {
            this.records = records;
            this.keys = keys;
            this.keyBytes = keyBytes;
            this.validKeywords = validKeywords;
            this.table = table;
        }

        /** Adds record {@code i}, whose UID must be above {@code previous}; returns its UID. */
        long add(int i, long previous) throws IOException {
            var r = records.next(IndexFormat.RECORD_SIZE);
            int at = r.position();
            r.position(at + IndexFormat.RECORD_SIZE);
            long uid = Integer.toUnsignedLong(r.getInt(at));
            int flags = r.getShort(at + 4);
            long keywords = r.getLong(at + 8);
            long keyOffset = r.getLong(at + 40);
            // (no message strings built per record: this runs a million times on open)
            long date = r.getLong(at + 24);
            boolean valid = uid > previous && (flags & ~IndexFormat.VALID_FLAG_BITS) == 0
                    && (keywords & ~validKeywords) == 0 && keyOffset == keysRead && keyOffset + 2 <= keyBytes
                    && MessageTable.validDate(date);
            int keyLength = valid ? Short.toUnsignedInt(keys.next(2).getShort()) : 0;
            if (!valid || keyLength == 0 || keyOffset + 2 + keyLength > keyBytes) {
                throw new DamagedException("inconsistent record " + i);
            }
            keys.skip(keyLength);
            keysRead += 2 + keyLength;
            table.add(uid, flags, keywords, r.getLong(at + 16), date,
                    MessageTable.sizeOf(r.getInt(at + 32)), MessageTable.sizeOf(r.getInt(at + 36)),
                    KeyArena.reference(0, (int) keyOffset));
            return uid;
        }
    }

    private static void check(boolean ok, String problem) throws DamagedException {
        if (!ok) {
            throw new DamagedException(problem);
        }
    }

    /** Writes the whole index to a temporary file and renames it into place (fsynced when {@code fsync}). */
    static void write(Path file, long uidValidity, long uidNext, long highestModseq, ChangeToken token,
                      long generation, MessageTable table, boolean fsync) throws IOException {
        var temp = file.resolveSibling(file.getFileName() + ".tmp");
        int count = table.count();
        try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var crc = new CRC32C();
            var out = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            channel.position(IndexFormat.HEADER_SIZE);
            long keyOffset = 0;
            var keys = table.keys();
            for (int i = 0; i < count; i++) {
                flushIfFull(channel, out, crc, IndexFormat.RECORD_SIZE);
                out.putInt((int) table.uid(i)).putShort((short) table.flags(i)).putShort((short) 0)
                        .putLong(table.keywords(i)).putLong(table.modseq(i)).putLong(table.internalDate(i))
                        .putInt(MessageTable.storedSize(table.size(i))).putInt(MessageTable.storedSize(table.virtualSize(i)))
                        .putLong(keyOffset);
                keyOffset += 2 + keys.length(table.keyRef(i));
            }
            out.order(ByteOrder.BIG_ENDIAN); // keys keep the arena's layout
            for (int i = 0; i < count; i++) {
                long key = table.keyRef(i);
                int length = keys.length(key);
                flushIfFull(channel, out, crc, 2 + length);
                out.putShort((short) length);
                keys.copy(key, out);
            }
            flush(channel, out, crc);
            var names = table.keywordNames().names();
            var keywordSection = keywordSection(names);
            var namesCrc = new CRC32C();
            namesCrc.update(keywordSection);
            writeAll(channel, ByteBuffer.wrap(keywordSection), crc);
            var summary = TableSummary.of(table);
            var header = ByteBuffer.allocate(IndexFormat.HEADER_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(IndexFormat.INDEX_MAGIC).putInt(IndexFormat.VERSION).putLong(uidValidity).putLong(uidNext)
                    .putLong(highestModseq).putInt(count).putInt(names.size()).putLong(keyOffset)
                    .putLong(token == null ? 0 : token.deliveries()).putLong(token == null ? 0 : token.contents())
                    .putLong(token == null ? 0 : token.metadata()).putInt(token != null && token.settled() ? 1 : 0)
                    .putInt(summary.firstUnseenRow()).putLong(generation).putInt((int) crc.getValue())
                    .putInt(summary.unseenCount()).putInt((int) summary.lastUid()).putInt((int) namesCrc.getValue())
                    .putLong(summary.keywordMask()).putLong(summary.totalVirtualSize()).putInt(summary.pendingSizes());
            header.putInt(HEADER_CRC_AT, IndexFormat.crc(header.array(), 0, HEADER_CRC_AT));
            channel.write(header.clear(), 0);
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            syncDirectory(file.getParent());
        }
    }

    private static void flushIfFull(FileChannel channel, ByteBuffer out, CRC32C crc, int needed) throws IOException {
        if (out.remaining() < needed) {
            flush(channel, out, crc);
        }
    }

    private static byte[] keywordSection(java.util.List<String> names) {
        var out = new java.io.ByteArrayOutputStream();
        for (var name : names) {
            var bytes = name.getBytes(StandardCharsets.UTF_8);
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static void flush(FileChannel channel, ByteBuffer out, CRC32C crc) throws IOException {
        out.flip();
        writeAll(channel, out, crc);
        out.clear();
    }

    private static void writeAll(FileChannel channel, ByteBuffer bytes, CRC32C crc) throws IOException {
        crc.update(bytes.duplicate());
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    static void syncDirectory(Path dir) throws IOException {
        try (var channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
