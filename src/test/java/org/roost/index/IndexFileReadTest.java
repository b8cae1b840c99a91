package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the index file's records are read: into the heap through small buffers, so that the process maps
 * only the storage keys (the records stay in the page cache, not in the server's resident memory), with
 * every record still checked against the key it names.
 */
class IndexFileReadTest {
    private static final Path MAPS = Path.of("/proc/self/maps");

    @TempDir
    Path dir;

    private static MessageTable table(int count) {
        var names = new KeywordNames();
        var keys = new KeyArena();
        var b = MessageTable.builder(keys, names, count);
        for (int i = 0; i < count; i++) {
            b.add(i + 1, 0, 0, 7, 1_700_000_000L + i, 1000 + i, 1010 + i,
                    keys.add("1700000000.M" + i + "P4242.host.example.org,S=" + (1000 + i)));
        }
        return b.build();
    }

    @Test
    void onlyTheKeysAreMappedOnceTheRecordsAreRead() throws IOException {
        assumeTrue(Files.isReadable(MAPS), "needs /proc (Linux)");
        var file = dir.resolve("roost.index");
        var written = table(5_000); // 240 kB of records, then the keys
        IndexFile.write(file, 42, 5_001, 7, null, 1, written, false);
        var read = IndexFile.open(file).table();
        long recordsEnd = IndexFormat.HEADER_SIZE + 5_000L * IndexFormat.RECORD_SIZE;
        long keyBytes = 0;
        for (int i = 0; i < written.count(); i++) {
            keyBytes += 2 + written.keys().length(written.keyRef(i));
        }
        long mapped = 0;
        for (var line : Files.readAllLines(MAPS)) {
            if (line.endsWith(" " + file.toRealPath())) {
                var fields = line.split("\\s+");
                var range = fields[0].split("-");
                long offset = Long.parseLong(fields[2], 16);
                assertTrue(offset >= recordsEnd - 4096, "the header and records are not mapped: " + line);
                mapped += Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
            }
        }
        assertTrue(mapped > 0 && mapped <= keyBytes + 2 * 4096, "mapped " + mapped + " bytes for " + keyBytes
                + " bytes of keys");
        assertEquals(written.key(4_999), read.key(4_999)); // the keys read through the mapping
        assertEquals(written.size(123), read.size(123));
    }

    @Test
    void aRecordNamingAKeyOutOfTurnIsDamage() throws IOException {
        var file = dir.resolve("roost.index");
        IndexFile.write(file, 42, 101, 7, null, 1, table(100), false);
        var bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        int first = IndexFormat.HEADER_SIZE + 10 * IndexFormat.RECORD_SIZE + 40;
        int second = first + IndexFormat.RECORD_SIZE;
        long a = bytes.getLong(first);
        bytes.putLong(first, bytes.getLong(second)).putLong(second, a); // two records swap keys: checksums made right
        var crc = new CRC32C();
        crc.update(bytes.array(), IndexFormat.HEADER_SIZE, bytes.capacity() - IndexFormat.HEADER_SIZE);
        bytes.putInt(88, (int) crc.getValue());
        bytes.putInt(124, IndexFormat.crc(bytes.array(), 0, 124));
        Files.write(file, bytes.array());
        var e = assertThrows(IndexFile.DamagedException.class, () -> IndexFile.open(file).table());
        assertTrue(e.getMessage().contains("inconsistent record 10"), e.getMessage());
    }

    @Test
    void aFileReplacedAfterItWasOpenedIsNotTakenForIt() throws IOException {
        var file = dir.resolve("roost.index");
        IndexFile.write(file, 42, 101, 7, null, 1, table(100), false);
        var opened = IndexFile.open(file);
        IndexFile.write(file, 42, 101, 7, null, 2, table(100), false); // the same table, another generation
        var e = assertThrows(IndexFile.DamagedException.class, opened::table);
        assertTrue(e.getMessage().contains("replaced"), e.getMessage());
        assertEquals(100, IndexFile.open(file).table().count(), "read once opened afresh");
    }
}
