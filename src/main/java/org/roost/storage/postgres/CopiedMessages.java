package org.roost.storage.postgres;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
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
 * integers). The columns are fixed by {@link #select}.
 */
final class CopiedMessages implements MailboxStore.ScanRow {
    private static final byte[] SIGNATURE = "PGCOPY\n\377\r\n\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int COLUMNS = 7;
    /** PostgreSQL's timestamps count microseconds from 2000-01-01 UTC. */
    private static final long POSTGRES_EPOCH_SECONDS = 946_684_800L;
    /** A keyword list longer than this is not one the store wrote ({@link PostgresMailbox#MAX_KEYWORDS} atoms). */
    private static final int MAX_KEYWORDS_BYTES = 1 << 16;
    private static final int BUFFER = 1 << 16;

    private final DataInputStream in;
    private long uid;
    private int flags;
    private long modseq;
    private long internalDate;
    private long physicalSize;
    private long virtualSize;
    private Set<String> keywords;
    private byte[] text = new byte[256];

    private CopiedMessages(InputStream in) {
        this.in = new DataInputStream(new BufferedInputStream(in, BUFFER));
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
        var signature = new byte[SIGNATURE.length];
        in.readFully(signature);
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw new StorageException("not a binary COPY stream");
        }
        in.readInt(); // flags: no OIDs
        skip(in.readInt());
    }

    /** Reads the next row; false at the trailer. */
    private boolean next() throws IOException {
        short fields = in.readShort();
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
        return in.readLong();
    }

    private int int4() throws IOException {
        width(4);
        return in.readInt();
    }

    private void width(int expected) throws IOException {
        int length = in.readInt();
        if (length != expected) {
            throw new StorageException("a COPY field of " + length + " bytes, not " + expected);
        }
    }

    /** The space-separated keywords (atoms, so no space within one), or none for NULL. */
    private Set<String> readKeywords() throws IOException {
        int length = in.readInt();
        if (length == -1) {
            return Set.of();
        }
        if (length < 0 || length > MAX_KEYWORDS_BYTES) {
            throw new StorageException("a keyword list of " + length + " bytes");
        }
        if (text.length < length) {
            text = new byte[Math.max(length, text.length * 2)];
        }
        in.readFully(text, 0, length);
        return Set.copyOf(Arrays.asList(new String(text, 0, length, StandardCharsets.UTF_8).split(" ")));
    }

    private void skip(int bytes) throws IOException {
        if (bytes < 0 || in.skipBytes(bytes) != bytes) {
            throw new EOFException("a COPY header cut short");
        }
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
