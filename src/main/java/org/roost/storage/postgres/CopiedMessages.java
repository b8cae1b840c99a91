package org.roost.storage.postgres;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Set;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.roost.mail.StorageException;
import org.roost.mail.SystemFlag;
import org.roost.storage.MailboxStore;

/**
 * A mailbox's message rows streamed by one {@code COPY ... TO STDOUT (FORMAT binary)} and read in place: one reused
 * {@link MailboxStore.ScanRow} whose fields are primitives, so a million rows make no object each beyond a set of
 * keywords for the messages that carry some (PostgreSQL's binary rows need no text parsing: a row is a few fixed-width
 * integers), read straight out of one array the stream fills in large reads (a {@code DataInputStream} over a
 * {@code BufferedInputStream} took two locked calls per field). The columns are fixed by {@link #select}.
 */
final class CopiedMessages implements MailboxStore.ScanRow {
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int COLUMNS = 7;
    /** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    /** A keyword list longer than this is not one the store wrote ({@link PostgresMailbox#MAX_KEYWORDS} atoms). */
    private static final int MAX_KEYWORDS_BYTES = 1 << 16;
    /** Holds a whole keyword list, the longest field, with room to spare. */
    private static final int BUFFER = 1 << 17;
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private final InputStream in;
    private final byte[] buffer = new byte[BUFFER];
    /** The bytes of {@link #buffer} not read yet: from {@code position} to {@code limit}. */
    private int position;
    private int limit;
    private long uid;
    private int flags;
    private long modseq;
    private long internalDate;
    private long physicalSize;
    private long virtualSize;
    private Set<String> keywords;

    private CopiedMessages(InputStream in) {
        this.in = in;
    }

    /** The statement whose rows {@link #copy} reads: {@code where} selects them (it is SQL, so only constants). */
    static String select(String where) {
        return "COPY (SELECT uid, flags, modseq, internal_date, physical_size, virtual_size, CASE WHEN"
                + " cardinality(keywords) = 0 THEN NULL ELSE array_to_string(keywords, ' ') END FROM messages WHERE "
                + where + " ORDER BY uid) TO STDOUT (FORMAT binary)";
    }

    /**
     * Hands each row of {@code copy} (a {@link #select}) to {@code consumer}, in the statement's order. A read stopped
     * before the end (a row refused, the connection lost) leaves the rest of the COPY on the wire, where pgjdbc would
     * serve it to the connection's next statement (pgjdbc issue 3163): the connection is aborted, so that the pool
     * drops it instead of lending it again.
     */
    static void copy(Connection connection, String copy, MailboxStore.ScanConsumer consumer)
            throws SQLException, IOException {
        var stream = new PGCopyInputStream(connection.unwrap(PGConnection.class), copy);
        try {
            read(stream, consumer);
        } catch (IOException | RuntimeException e) {
            connection.unwrap(Connection.class).abort(Runnable::run);
            if (e.getCause() instanceof SQLException database) {
                throw database; // the stream's own failure (the connection lost): the database's to tell apart
            }
            throw e;
        }
        stream.close();
    }

    /** Hands each row of a binary COPY stream of {@link #select}'s columns to {@code consumer}. */
    static void read(InputStream stream, MailboxStore.ScanConsumer consumer) throws IOException {
        var rows = new CopiedMessages(stream);
        rows.header();
        while (rows.next()) {
            consumer.accept(rows);
        }
    }

    private void header() throws IOException {
        need(SIGNATURE.length);
        if (!Arrays.equals(buffer, position, position + SIGNATURE.length, SIGNATURE, 0, SIGNATURE.length)) {
            throw new StorageException("not a binary COPY stream");
        }
        position += SIGNATURE.length;
        readInt(); // flags: no OIDs
        int extension = readInt();
        if (extension < 0 || extension > BUFFER) {
            throw new StorageException("a COPY header extension of " + extension + " bytes");
        }
        need(extension);
        position += extension;
    }

    /** Makes {@code n} bytes (at most {@link #BUFFER}) readable from {@link #position}, reading more as needed. */
    private void need(int n) throws IOException {
        if (limit - position >= n) {
            return;
        }
        System.arraycopy(buffer, position, buffer, 0, limit - position);
        limit -= position;
        position = 0;
        while (limit < n) {
            int read = in.read(buffer, limit, buffer.length - limit);
            if (read < 0) {
                throw new EOFException("a COPY stream cut short");
            }
            limit += read;
        }
    }

    private short readShort() throws IOException {
        need(2);
        short value = (short) SHORT.get(buffer, position);
        position += 2;
        return value;
    }

    private int readInt() throws IOException {
        need(4);
        int value = (int) INT.get(buffer, position);
        position += 4;
        return value;
    }

    private long readLong() throws IOException {
        need(8);
        long value = (long) LONG.get(buffer, position);
        position += 8;
        return value;
    }

    /** Reads the next row; false at the trailer. */
    private boolean next() throws IOException {
        short fields = readShort();
        if (fields == -1) {
            return false;
        }
        if (fields != COLUMNS) {
            throw new StorageException("a COPY row of " + fields + " columns, not " + COLUMNS);
        }
        uid = int8();
        flags = int4();
        modseq = int8();
        internalDate = Math.floorDiv(int8(), 1_000_000L) + POSTGRES_EPOCH_SECONDS;
        physicalSize = int8();
        virtualSize = int8();
        keywords = readKeywords();
        return true;
    }

    private long int8() throws IOException {
        width(8);
        return readLong();
    }

    private int int4() throws IOException {
        width(4);
        return readInt();
    }

    private void width(int expected) throws IOException {
        int length = readInt();
        if (length != expected) {
            throw new StorageException("a COPY field of " + length + " bytes, not " + expected);
        }
    }

    /** The space-separated keywords (atoms, so no space within one), or none for NULL. */
    private Set<String> readKeywords() throws IOException {
        int length = readInt();
        if (length == -1) {
            return Set.of();
        }
        if (length < 0 || length > MAX_KEYWORDS_BYTES) {
            throw new StorageException("a keyword list of " + length + " bytes");
        }
        need(length);
        var list = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return Set.copyOf(Arrays.asList(list.split(" ")));
    }

    @Override
    public long uid() {
        return uid;
    }

    @Override
    public Set<SystemFlag> flags() {
        return SystemFlag.setOf(flags);
    }

    @Override
    public Set<String> keywords() {
        return keywords;
    }

    @Override
    public Instant internalDate() {
        return Instant.ofEpochSecond(internalDate);
    }

    @Override
    public long internalDateSeconds() {
        return internalDate;
    }

    @Override
    public long modseq() {
        return modseq;
    }

    @Override
    public long physicalSize() {
        return physicalSize;
    }

    @Override
    public long virtualSize() {
        return virtualSize;
    }

    /** A message's key is its UID in decimal. */
    @Override
    public String key() {
        return Long.toString(uid);
    }

    @Override
    public int keyLength() {
        return digits(uid);
    }

    @Override
    public void putKey(ByteBuffer out) {
        int length = digits(uid);
        int at = out.position();
        long rest = uid;
        for (int i = length - 1; i >= 0; i--) {
            out.put(at + i, (byte) ('0' + rest % 10));
            rest /= 10;
        }
        out.position(at + length);
    }

    private static int digits(long value) {
        int digits = 1;
        for (long rest = value / 10; rest > 0; rest /= 10) {
            digits++;
        }
        return digits;
    }
}
