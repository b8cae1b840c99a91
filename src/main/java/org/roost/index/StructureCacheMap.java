package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;

/**
 * {@code roost.index.cache.map}: a checkpoint of the cache file's UID to offset table, so that
 * opening a mailbox reads 8 bytes per cached message instead of the whole cache file; only the
 * records appended after the checkpoint are read from the cache file itself.
 *
 * <p>Layout: a 48-byte header (magic, version, the cache file's generation and UIDVALIDITY, the
 * cache file length the table covers, records known dead, entry count, CRC-32C of everything after
 * the header and of the header), then the UIDs ascending, then their offsets / 8, as ints: read
 * into two arrays as they are, without a loop over the entries. Written whole
 * to a temporary file and renamed; never fsynced (a lost or stale checkpoint only means a longer
 * read of the cache file). A map of another generation, UIDVALIDITY or longer than the file is not
 * used, and every record is still checked (CRC, UID, key, size) when it is read.
 */
final class StructureCacheMap {
    static final String FILE = StructureCacheFile.FILE + ".map";
    private static final int MAGIC = 0x524f434d; // "ROCM"
    private static final int VERSION = 1;
    private static final int HEADER_SIZE = 48;

    /** A checkpoint: the table of the cache file's first {@code covered} bytes. */
    record Checkpoint(UidOffsets offsets, long covered, int dead) {}

    private StructureCacheMap() {
    }

    static void write(Path directory, long generation, long uidValidity, long covered, int dead,
                      UidOffsets.Sorted table) throws IOException {
        int count = table.uids().length;
        var bytes = ByteBuffer.allocate(HEADER_SIZE + count * 8);
        bytes.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, generation).putLong(16, uidValidity)
                .putLong(24, covered).putInt(32, dead).putInt(36, count);
        bytes.position(HEADER_SIZE);
        bytes.asIntBuffer().put(table.uids()).put(table.slots());
        bytes.putInt(40, crc(bytes.array(), HEADER_SIZE, bytes.capacity() - HEADER_SIZE));
        bytes.putInt(44, crc(bytes.array(), 0, 44));
        var temporary = directory.resolve(FILE + ".tmp");
        Files.write(temporary, bytes.array());
        Files.move(temporary, directory.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * The checkpoint for this cache file, or null when there is none that fits (missing, damaged,
     * of another generation or UIDVALIDITY, or covering more than the file holds).
     */
    static Checkpoint read(Path directory, long generation, long uidValidity, long fileSize) throws IOException {
        byte[] data;
        try {
            var path = directory.resolve(FILE);
            if (Files.size(path) > HEADER_SIZE + 8L * (fileSize / 8)) {
                return null;
            }
            data = Files.readAllBytes(path);
        } catch (NoSuchFileException missing) {
            return null;
        }
        var b = ByteBuffer.wrap(data);
        if (data.length < HEADER_SIZE || b.getInt(0) != MAGIC || b.getInt(4) != VERSION
                || b.getInt(44) != crc(data, 0, 44) || b.getInt(40) != crc(data, HEADER_SIZE, data.length - HEADER_SIZE)
                || b.getLong(8) != generation || b.getLong(16) != uidValidity) {
            return null;
        }
        long covered = b.getLong(24);
        int dead = b.getInt(32);
        int count = b.getInt(36);
        if (covered < 0 || covered > fileSize || dead < 0 || count < 0
                || (long) count * 8 != data.length - HEADER_SIZE) {
            return null;
        }
        // Entries are not checked one by one: the CRC stands for them, and every record they point
        // to is checked (UID, key, size, CRC) when read.
        var uids = new int[count];
        var slots = new int[count];
        var ints = b.position(HEADER_SIZE).asIntBuffer();
        ints.get(uids).get(slots);
        return new Checkpoint(new UidOffsets(uids, slots), covered, dead);
    }

    static void delete(Path directory) throws IOException {
        Files.deleteIfExists(directory.resolve(FILE));
    }

    private static int crc(byte[] bytes, int offset, int length) {
        var crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }
}
