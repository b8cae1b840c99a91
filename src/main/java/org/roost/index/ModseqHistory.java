package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import org.roost.mail.UidSet;

/**
 * What a mailbox's MODSEQs must keep beyond its index files ({@code roost.modseq}): the UIDs
 * expunged with the MODSEQ of their expunge (RFC 7162 §3.2.7: "the server MUST remember the
 * incremented mod-sequence and corresponding UID"), and a ceiling no MODSEQ handed out has passed,
 * so that an index rebuilt from the mail starts above every MODSEQ a client may hold (§3.1: a
 * mod-sequence never goes back).
 *
 * <p>Bounded: at most {@code maxRanges} UID ranges are kept; past that the oldest half is dropped and
 * {@link #exactFrom()} raised, below which {@link #expungedSince} answers a superset (every UID not in
 * the mailbox), as §3.2.6 asks of a server that no longer remembers that far back. The ceiling is
 * reserved a block ahead, so that a write here is needed once per {@link #BLOCK} changes and with
 * every expunge, before the change reaches the index log.
 *
 * <pre>
 * header (32 bytes): magic "ROMS", version, UIDVALIDITY, 12 reserved, CRC-32C of bytes 0..27
 * record (32 bytes): u32 type, u64 a, u64 b, u64 c, CRC-32C of bytes 0..27
 *   1 ceiling (a)   2 expunged (UIDs a..b at MODSEQ c)   3 exact from (a)
 *   4 private floor (a): no MODSEQ a user's private flags ({@link PrivateFlags}) were given reaches it
 * </pre>
 * A damaged or torn record ends the reading: what came before stands.
 */
final class ModseqHistory implements AutoCloseable {
    static final String FILE = "roost.modseq";
    /** MODSEQs reserved at a time: one small write per this many changes. */
    static final long BLOCK = 4096;
    private static final int MAGIC = 0x524f4d53; // "ROMS"
    private static final int VERSION = 1;
    private static final int SIZE = 32;
    private static final int CEILING = 1;
    private static final int EXPUNGED = 2;
    private static final int EXACT_FROM = 3;
    private static final int PRIVATE_FLOOR = 4;

    private final Path file;
    private final boolean fsync;
    private final int maxRanges;
    private final long uidValidity;
    private FileChannel channel;
    private long ceiling;
    private long exactFrom;
    private long privateFloor;
    private int count;
    private long[] lows = new long[16];
    private long[] highs = new long[16];
    private long[] modseqs = new long[16];

    private ModseqHistory(Path file, boolean fsync, int maxRanges, long uidValidity) {
        this.file = file;
        this.fsync = fsync;
        this.maxRanges = Math.max(2, maxRanges);
        this.uidValidity = uidValidity;
    }

    /**
     * Reads the history of {@code directory} (or starts one). {@code highestModseq}: the mailbox's
     * HIGHESTMODSEQ as its index knows it (0 for none); a history that starts now or belongs to
     * another UIDVALIDITY is exact only from there.
     */
    static ModseqHistory open(Path directory, boolean fsync, int maxRanges, long uidValidity, long highestModseq)
            throws IOException {
        var history = new ModseqHistory(directory.resolve(FILE), fsync, maxRanges, uidValidity);
        boolean fresh = !history.read();
        history.ceiling = Math.max(history.ceiling, highestModseq);
        if (fresh) {
            history.exactFrom = highestModseq;
            history.rewrite();
        }
        return history;
    }

    /**
     * A MODSEQ above every one handed out in the mailbox whose history is in {@code directory} (0 when it has
     * none), read without opening the history for writing: what a copy of the mailbox elsewhere must start above.
     */
    static long ceilingIn(Path directory) throws IOException {
        var history = new ModseqHistory(directory.resolve(FILE), false, 2, 0);
        history.read();
        return Math.max(history.ceiling, history.privateFloor);
    }

    /** False when there is no usable history (absent, damaged header, another UIDVALIDITY); what it had stays read. */
    private boolean read() throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        var in = ByteBuffer.wrap(bytes);
        boolean header = bytes.length >= SIZE && in.getInt(0) == MAGIC && in.getInt(4) == VERSION
                && in.getInt(28) == IndexFormat.crc(bytes, 0, 28);
        if (!header) {
            return false;
        }
        boolean sameMailbox = in.getLong(8) == uidValidity;
        for (int p = SIZE; p + SIZE <= bytes.length; p += SIZE) {
            if (in.getInt(p + 28) != IndexFormat.crc(bytes, p, 28)) {
                break; // torn by a crash: what came before stands
            }
            long a = in.getLong(p + 4);
            long b = in.getLong(p + 12);
            long c = in.getLong(p + 20);
            switch (in.getInt(p)) {
                case CEILING -> ceiling = Math.max(ceiling, a);
                case EXPUNGED -> {
                    if (sameMailbox && a > 0 && a <= b) {
                        add(a, b, c);
                    }
                }
                case EXACT_FROM -> exactFrom = Math.max(exactFrom, a);
                case PRIVATE_FLOOR -> privateFloor = Math.max(privateFloor, a);
                default -> { } // a record type of a later version: the ceiling is what matters
            }
        }
        if (count > maxRanges) {
            dropOldest();
        }
        return sameMailbox;
    }

    /** Heap held by the ranges (three longs each), for the cache's budget. */
    long heapBytes() {
        return 24L * lows.length;
    }

    /** A MODSEQ above every one this mailbox has handed out (what a rebuilt index starts from). */
    long ceiling() {
        return ceiling;
    }

    /**
     * A MODSEQ above every one given to a private flag change (0: none was): the mailbox's own changes after a
     * restart start above it, so that a user who saw their private change never misses a shared one below it.
     */
    long privateFloor() {
        return privateFloor;
    }

    /**
     * Records, durably, that a private flag change was given {@code modseq}: reserved a block ahead, like the
     * ceiling, so that a write is needed once per {@link #BLOCK} private changes.
     */
    void reservePrivate(long modseq) throws IOException {
        if (modseq <= privateFloor) {
            return;
        }
        privateFloor = modseq + BLOCK;
        ceiling = Math.max(ceiling, privateFloor);
        var out = ByteBuffer.allocate(SIZE * 2);
        put(out, PRIVATE_FLOOR, privateFloor, 0, 0);
        put(out, CEILING, ceiling, 0, 0);
        write(out.flip());
    }

    /** The lowest client MODSEQ for which {@link #expungedSince} is exact. */
    long exactFrom() {
        return exactFrom;
    }

    /**
     * Records, durably, that the UIDs {@code expunged} (ascending) went at {@code modseq}, and that
     * MODSEQs up to {@code modseq} are in use: to be called before the change is logged or shown.
     */
    void record(long[] expunged, long modseq) throws IOException {
        var out = ByteBuffer.allocate(SIZE * (expunged.length + 1));
        int records = 0;
        for (int i = 0; i < expunged.length; ) {
            int j = i;
            while (j + 1 < expunged.length && expunged[j + 1] == expunged[j] + 1) {
                j++;
            }
            put(out, EXPUNGED, expunged[i], expunged[j], modseq);
            add(expunged[i], expunged[j], modseq);
            records++;
            i = j + 1;
        }
        if (modseq > ceiling) {
            ceiling = modseq + BLOCK;
            put(out, CEILING, ceiling, 0, 0);
            records++;
        }
        if (records == 0) {
            return;
        }
        if (count > maxRanges) {
            dropOldest();
            rewrite();
            return;
        }
        write(out.flip());
    }

    /**
     * The UIDs expunged after {@code modseq}, or null when this history does not reach that far back
     * (the caller then takes every UID the mailbox does not hold, RFC 7162 §3.2.6).
     */
    UidSet expungedAfter(long modseq) {
        if (modseq < exactFrom) {
            return null;
        }
        var found = new long[16];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (modseqs[i] > modseq) {
                if (n + 2 > found.length) {
                    found = Arrays.copyOf(found, found.length * 2);
                }
                found[n++] = lows[i];
                found[n++] = highs[i];
            }
        }
        return UidSet.ofRanges(Arrays.copyOf(found, n));
    }

    private void add(long low, long high, long modseq) {
        if (count == lows.length) {
            int capacity = count * 2;
            lows = Arrays.copyOf(lows, capacity);
            highs = Arrays.copyOf(highs, capacity);
            modseqs = Arrays.copyOf(modseqs, capacity);
        }
        lows[count] = low;
        highs[count] = high;
        modseqs[count] = modseq;
        count++;
    }

    /** Keeps the newest half: a client further back than the dropped ones gets the superset. */
    private void dropOldest() {
        int drop = count - maxRanges / 2;
        for (int i = 0; i < drop; i++) {
            exactFrom = Math.max(exactFrom, modseqs[i]);
        }
        lows = Arrays.copyOfRange(lows, drop, Math.max(drop + 16, count));
        highs = Arrays.copyOfRange(highs, drop, Math.max(drop + 16, count));
        modseqs = Arrays.copyOfRange(modseqs, drop, Math.max(drop + 16, count));
        count -= drop;
    }

    /** After an index rebuilt from the mail: expunges before {@code modseq} may have gone unrecorded. */
    void rebuiltAt(long modseq) throws IOException {
        exactFrom = Math.max(exactFrom, modseq);
        ceiling = Math.max(ceiling, modseq);
        var out = ByteBuffer.allocate(SIZE * 2);
        put(out, EXACT_FROM, exactFrom, 0, 0);
        put(out, CEILING, ceiling, 0, 0);
        write(out.flip());
    }

    /** Writes the whole history anew (a temporary file renamed over the old one). */
    private void rewrite() throws IOException {
        close();
        var out = ByteBuffer.allocate(SIZE * (count + 4));
        out.putInt(MAGIC).putInt(VERSION).putLong(uidValidity).putLong(0).putInt(0);
        out.putInt(IndexFormat.crc(out.array(), 0, 28));
        put(out, EXACT_FROM, exactFrom, 0, 0);
        put(out, CEILING, ceiling, 0, 0);
        put(out, PRIVATE_FLOOR, privateFloor, 0, 0);
        for (int i = 0; i < count; i++) {
            put(out, EXPUNGED, lows[i], highs[i], modseqs[i]);
        }
        var temporary = file.resolveSibling(FILE + ".tmp");
        try (var tmp = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(tmp, out.flip());
            if (fsync) {
                tmp.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Appends records, opening the file first when it is not open (at the first write, or after {@link #close}). */
    private void write(ByteBuffer records) throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        writeFully(channel, records);
        if (fsync) {
            channel.force(false);
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }

    private static void put(ByteBuffer out, int type, long a, long b, long c) {
        int start = out.position();
        out.putInt(type).putLong(a).putLong(b).putLong(c);
        out.putInt(IndexFormat.crc(out.array(), start, 28));
    }

    /**
     * Closes the file until the next write opens it again (nothing is pending: each write was whole when it
     * returned). Called under the mailbox's lock, as every write is.
     */
    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
