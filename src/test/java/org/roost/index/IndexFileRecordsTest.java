package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;

/**
 * The records of an index file are copied out of the mapping a block of records at a time: every field of every
 * row comes back as written across the blocks' edges, and a record that breaks the rules is found in any block.
 */
class IndexFileRecordsTest {
    /** Over three blocks and into a fourth (IndexFile reads 4,096 records at a time). */
    private static final int ROWS = 3 * 4096 + 5;

    @TempDir
    Path dir;

    private static MessageTable varied(Random random) {
        var names = new KeywordNames();
        names.mask(Set.of("$Work", "Later", "x"));
        var keys = new KeyArena();
        var b = MessageTable.builder(keys, names, ROWS);
        long uid = 0;
        for (int i = 0; i < ROWS; i++) {
            uid += 1 + random.nextInt(1000);
            long date = switch (random.nextInt(4)) {
                case 0 -> MessageTable.UNKNOWN_DATE;
                case 1 -> -5_000_000_000L + random.nextInt(1000); // before 1970, beyond 32 bits
                default -> 1_700_000_000L + i;
            };
            b.add(uid, random.nextInt(32), random.nextInt(3) == 0 ? random.nextInt(8) : 0, 1 + random.nextInt(50), date,
                    random.nextInt(5) == 0 ? StoredMessage.UNKNOWN_SIZE : random.nextLong(0xffff_fffeL),
                    random.nextInt(4) == 0 ? StoredMessage.UNKNOWN_SIZE : random.nextInt(Integer.MAX_VALUE),
                    keys.add("key-" + i + "-".repeat(random.nextInt(40))));
        }
        return b.build();
    }

    @Test
    void everyFieldOfEveryRowComesBackAcrossTheBlocks() throws IOException {
        var table = varied(new Random(20));
        var file = dir.resolve("roost.index");
        IndexFile.write(file, 42, table.uid(ROWS - 1) + 1, 60, null, 1, table, false);
        var read = IndexFile.open(file).table();
        assertEquals(ROWS, read.count());
        for (int i = 0; i < ROWS; i++) {
            assertEquals(table.uid(i), read.uid(i), "uid of row " + i);
            assertEquals(table.flags(i), read.flags(i), "flags of row " + i);
            assertEquals(table.keywords(i), read.keywords(i), "keywords of row " + i);
            assertEquals(table.modseq(i), read.modseq(i), "modseq of row " + i);
            assertEquals(table.internalDate(i), read.internalDate(i), "date of row " + i);
            assertEquals(table.size(i), read.size(i), "size of row " + i);
            assertEquals(table.virtualSize(i), read.virtualSize(i), "virtual size of row " + i);
            assertEquals(table.key(i), read.key(i), "key of row " + i);
        }
        assertEquals(TableSummary.of(table), TableSummary.of(read));
    }

    @Test
    void aBrokenRecordIsFoundInAnyBlock() throws IOException {
        var table = varied(new Random(21));
        var file = dir.resolve("roost.index");
        IndexFile.write(file, 42, table.uid(ROWS - 1) + 1, 60, null, 1, table, false);
        var pristine = Files.readAllBytes(file);
        for (int row : new int[] {0, 4095, 4096, 2 * 4096 + 17, ROWS - 1}) {
            // A UID no higher than the one before (row 0: zero), each with the checksums made right again: a bad writer.
            var bytes = ByteBuffer.wrap(pristine.clone()).order(ByteOrder.LITTLE_ENDIAN);
            int at = IndexFormat.HEADER_SIZE + row * IndexFormat.RECORD_SIZE;
            bytes.putInt(at, row == 0 ? 0 : (int) table.uid(row - 1));
            writeWithChecksums(file, bytes);
            var e = assertThrows(IndexFile.DamagedException.class, () -> IndexFile.open(file).table());
            assertEquals("inconsistent record " + row, e.getMessage());
            // A flag bit no version wrote, in the same record.
            bytes = ByteBuffer.wrap(pristine.clone()).order(ByteOrder.LITTLE_ENDIAN);
            bytes.putShort(at + 4, (short) 0x40);
            writeWithChecksums(file, bytes);
            e = assertThrows(IndexFile.DamagedException.class, () -> IndexFile.open(file).table());
            assertEquals("inconsistent record " + row, e.getMessage());
        }
    }

    private static void writeWithChecksums(Path file, ByteBuffer bytes) throws IOException {
        var body = new CRC32C();
        body.update(bytes.array(), IndexFormat.HEADER_SIZE, bytes.capacity() - IndexFormat.HEADER_SIZE);
        bytes.putInt(88, (int) body.getValue());
        bytes.putInt(124, IndexFormat.crc(bytes.array(), 0, 124));
        Files.write(file, bytes.array());
    }
}
