package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.mail.StorageException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailboxStore;

/** The reader of PostgreSQL's binary COPY rows: what it takes from a well-formed stream, and what it refuses. */
class CopiedMessagesTest {
    /** 2026-01-02T03:04:05Z in PostgreSQL's microseconds since 2000-01-01. */
    private static final long DATE_MICROS = (Instant.parse("2026-01-02T03:04:05Z").getEpochSecond() - 946_684_800L)
            * 1_000_000L + 999_999L;

    private record Row(long uid, Set<SystemFlag> flags, Set<String> keywords, long modseq, Instant date, String key,
                       int keyLength, String putKey) {}

    private static List<Row> read(byte[] stream) throws IOException {
        var rows = new ArrayList<Row>();
        CopiedMessages.read(new ByteArrayInputStream(stream), new MailboxStore.ScanConsumer() {
            @Override
            public void expect(int messages) {
            }

            @Override
            public void accept(StoredMessage message) {
                throw new AssertionError("rows come in place");
            }

            @Override
            public void accept(MailboxStore.ScanRow row) {
                var key = ByteBuffer.allocate(32);
                row.putKey(key);
                rows.add(new Row(row.uid(), row.flags(), row.keywords(), row.modseq(), row.internalDate(), row.key(),
                        row.keyLength(), new String(key.array(), 0, key.position(), StandardCharsets.US_ASCII)));
            }
        });
        return rows;
    }

    /** A stream with a header, the rows {@code write} writes, and the trailer unless {@code trailer} is false. */
    private static byte[] stream(boolean trailer, Rows write) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.write("PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1));
        out.writeInt(0);
        out.writeInt(4); // a header extension, skipped
        out.writeInt(42);
        write.to(out);
        if (trailer) {
            out.writeShort(-1);
        }
        return bytes.toByteArray();
    }

    private interface Rows {
        void to(DataOutputStream out) throws IOException;
    }

    private static void row(DataOutputStream out, long uid, int flags, String keywords) throws IOException {
        out.writeShort(7);
        int8(out, uid);
        out.writeInt(4);
        out.writeInt(flags);
        int8(out, 17);
        int8(out, DATE_MICROS);
        int8(out, 100);
        int8(out, 102);
        if (keywords == null) {
            out.writeInt(-1);
        } else {
            var text = keywords.getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
        }
    }

    private static void int8(DataOutputStream out, long value) throws IOException {
        out.writeInt(8);
        out.writeLong(value);
    }

    @Test
    void readsRowsInPlace() throws IOException {
        var rows = read(stream(true, out -> {
            row(out, 7, 1, null);
            row(out, 4_294_967_295L, 1 | 4, "$Work $Later $Work");
        }));
        var date = Instant.parse("2026-01-02T03:04:05Z");
        assertEquals(List.of(new Row(7, Set.of(SystemFlag.SEEN), Set.of(), 17, date, "7", 1, "7"),
                new Row(4_294_967_295L, Set.of(SystemFlag.SEEN, SystemFlag.FLAGGED), Set.of("$Work", "$Later"), 17,
                        date, "4294967295", 10, "4294967295")), rows);
        assertEquals(List.of(), read(stream(true, out -> { })));
    }

    @Test
    void refusesWhatIsNotSuchAStream() {
        assertThrows(StorageException.class, () -> read("PGCOPY\n\377\r\n\1".getBytes(StandardCharsets.ISO_8859_1)));
        assertThrows(EOFException.class, () -> read(stream(false, out -> row(out, 1, 0, null))), "no trailer");
        assertThrows(EOFException.class, () -> read(stream(false, out -> out.writeShort(7))), "a row cut short");
        assertThrows(StorageException.class, () -> read(stream(true, out -> out.writeShort(6))), "columns");
        assertThrows(StorageException.class, () -> read(stream(true, out -> {
            out.writeShort(7);
            out.writeInt(4); // a UID of 4 bytes
            out.writeInt(1);
        })));
        assertThrows(StorageException.class, () -> read(stream(true, out -> {
            row(out, 1, 0, null);
            out.writeShort(7);
            int8(out, 2);
            out.writeInt(4);
            out.writeInt(0);
            for (int i = 0; i < 4; i++) {
                int8(out, 0);
            }
            out.writeInt(1 << 20); // a keyword list no store wrote
        })), "keywords");
    }
}
