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
 * storage keys and the keyword names. Written whole (to a temporary file, fsynced, renamed) and
 * read through a memory mapping, so the keys never enter the heap.
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

    /** An index file whose header and keyword names are valid; its records are read on demand. */
    record Opened(long uidValidity, long uidNext, long highestModseq, ChangeToken token, long generation,
                  TableSummary summary, KeywordNames names, ByteBuffer map) {

        /** Reads and checks every record: the table the header describes. */
        MessageTable table() throws DamagedException {
            int count = summary.count();
            long keyBytes = map.getLong(40);
            var crc = new CRC32C();
            crc.update(map.slice(IndexFormat.HEADER_SIZE, map.capacity() - IndexFormat.HEADER_SIZE));
            check((int) crc.getValue() == map.getInt(88), "body checksum mismatch");
            int recordsEnd = IndexFormat.HEADER_SIZE + count * IndexFormat.RECORD_SIZE;
            var keys = new KeyArena(map.slice(recordsEnd, (int) keyBytes).order(ByteOrder.BIG_ENDIAN));
            var records = new Records(map.duplicate().order(ByteOrder.BIG_ENDIAN), keyBytes,
                    names.size() == KeywordNames.MAX ? -1L : (1L << names.size()) - 1, recordsEnd,
                    MessageTable.builder(keys, names, count));
            var words = map.slice(IndexFormat.HEADER_SIZE, count * IndexFormat.RECORD_SIZE)
                    .order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
            var block = new long[Math.min(count, RECORDS_PER_READ) * Records.WORDS];
            for (int from = 0; from < count; from += RECORDS_PER_READ) {
                int n = Math.min(RECORDS_PER_READ, count - from);
                words.get(from * Records.WORDS, block, 0, n * Records.WORDS);
                for (int j = 0; j < n; j++) {
                    records.add(from + j, block, j * Records.WORDS);
                }
            }
            check(records.totals.summary(records.previous).equals(summary), "records disagree with the header");
            return records.table.build();
        }
    }

    /** The index file's header and keyword names, checked; null when there is no index file. */
    static Opened open(Path file) throws IOException {
        ByteBuffer map;
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            check(size >= IndexFormat.HEADER_SIZE, "shorter than its header");
            check(size < Integer.MAX_VALUE, "too large");
            map = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException e) {
            return null;
        }
        var header = new byte[IndexFormat.HEADER_SIZE];
        map.get(0, header);
        check(map.getInt(0) == IndexFormat.INDEX_MAGIC, "bad magic number");
        int version = map.getInt(4);
        if (version > 0 && version < IndexFormat.VERSION) {
            throw new OutdatedException(version);
        }
        check(version == IndexFormat.VERSION, "unknown version " + version);
        check(map.getInt(HEADER_CRC_AT) == IndexFormat.crc(header, 0, HEADER_CRC_AT), "header checksum mismatch");
        int count = map.getInt(32);
        int keywordCount = map.getInt(36);
        long keyBytes = map.getLong(40);
        check(count >= 0 && keywordCount >= 0 && keywordCount <= KeywordNames.MAX && keyBytes >= 0, "bad counts");
        long keysEnd = IndexFormat.HEADER_SIZE + (long) count * IndexFormat.RECORD_SIZE + keyBytes;
        check(keysEnd <= map.capacity(), "truncated");
        var names = readKeywords(map.duplicate().order(ByteOrder.BIG_ENDIAN), (int) keysEnd, keywordCount);
        var namesCrc = new CRC32C();
        namesCrc.update(map.slice((int) keysEnd, map.capacity() - (int) keysEnd));
        check((int) namesCrc.getValue() == map.getInt(100), "keyword names checksum mismatch");
        long uidNext = map.getLong(16);
        var summary = new TableSummary(count, Integer.toUnsignedLong(map.getInt(96)), map.getInt(76), map.getInt(92),
                map.getLong(104), map.getLong(112), map.getInt(120));
        check(summary.plausible(uidNext, keywordCount), "implausible summary");
        var token = new ChangeToken(map.getLong(48), map.getLong(56), map.getLong(64), map.getInt(72) == 1);
        return new Opened(map.getLong(8), uidNext, map.getLong(24), token, map.getLong(80), summary, names, map);
    }

    private static KeywordNames readKeywords(ByteBuffer map, int at, int count) throws DamagedException {
        var names = new ArrayList<String>(count);
        int p = at;
        for (int i = 0; i < count; i++) {
            check(p + 2 <= map.capacity(), "keyword section truncated");
            int length = Short.toUnsignedInt(map.getShort(p));
            check(length > 0 && p + 2 + length <= map.capacity(), "keyword section truncated");
            var bytes = new byte[length];
            map.get(p + 2, bytes);
            names.add(new String(bytes, StandardCharsets.UTF_8));
            p += 2 + length;
        }
        check(p == map.capacity(), "trailing bytes");
        return new KeywordNames(names);
    }

    /** Records copied out of the mapping at a time: a large index is read in a few bulk copies, in a bounded buffer. */
    private static final int RECORDS_PER_READ = 4096;

    /**
     * Checks records and adds them to the table, one call per record rather than one loop body: the first
     * read of a large index after a restart runs before the JIT compiled any of this, and the JIT compiles
     * a method after a few hundred calls but a loop inside one call only after some 60,000 turns (on-stack
     * replacement), so a loop body of a dozen calls ran interpreted for most of 100,000 records. A record
     * arrives as six little-endian words copied out of the mapping in bulk: array reads, where reading each
     * field from the mapped buffer was a chain of calls, interpreted at first and then compiled, for every field.
     * The records are summed on the way (the header's summary is checked against them without a second pass).
     */
    private static final class Records {
        /** The 48 bytes of a record as longs: uid | flags << 32, keywords, modseq, date, size | virtual size << 32, key offset. */
        static final int WORDS = IndexFormat.RECORD_SIZE / Long.BYTES;
        private final ByteBuffer keySection;
        private final long keyBytes;
        private final long validKeywords;
        private final int keysAt;
        private final MessageTable.Builder table;
        private final TableSummary.Totals totals = new TableSummary.Totals();
        /** The UID of the last record added (0 before the first). */
        private long previous;

        Records(ByteBuffer bigEndian, long keyBytes, long validKeywords, int keysAt, MessageTable.Builder table) {
            this.keySection = bigEndian;
            this.keyBytes = keyBytes;
            this.validKeywords = validKeywords;
            this.keysAt = keysAt;
            this.table = table;
        }

        /** Adds record {@code i}, whose words start at {@code at} in {@code words}; its UID must be above the previous one's. */
        void add(int i, long[] words, int at) throws DamagedException {
            long first = words[at];
            long uid = first & 0xffff_ffffL;
            int flags = (short) (first >>> 32);
            long keywords = words[at + 1];
            long date = words[at + 3];
            long sizes = words[at + 4];
            long keyOffset = words[at + 5];
            // (no message strings built per record: this runs a million times on open)
            boolean valid = uid > previous && (flags & ~IndexFormat.VALID_FLAG_BITS) == 0
                    && (keywords & ~validKeywords) == 0 && keyOffset >= 0 && keyOffset + 2 <= keyBytes
                    && MessageTable.validDate(date);
            int keyLength = valid ? Short.toUnsignedInt(keySection.getShort(keysAt + (int) keyOffset)) : 0;
            if (!valid || keyLength == 0 || keyOffset + 2 + keyLength > keyBytes) {
                throw new DamagedException("inconsistent record " + i);
            }
            long virtualSize = MessageTable.sizeOf((int) (sizes >>> 32));
            table.add(uid, flags, keywords, words[at + 2], date, MessageTable.sizeOf((int) sizes), virtualSize,
                    KeyArena.reference(0, (int) keyOffset));
            totals.add(flags, keywords, virtualSize);
            previous = uid;
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
