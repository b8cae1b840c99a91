package org.roost.index;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;
import org.roost.mail.StoredMessage;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.mime.StructureCodec;

/**
 * {@code roost.index.cache}: the parsed MIME structure of each message whose ENVELOPE, BODYSTRUCTURE
 * or header was asked for, kept across restarts, so that those answers never reopen a message file.
 * Filled lazily; everything in it can be derived from the mail again, so nothing is fsynced and any
 * damage only costs a parse.
 *
 * <p>Layout: a 32-byte header (magic, version, UIDVALIDITY, generation, CRC-32C of the header),
 * then records appended at 8-byte boundaries: payload length, CRC-32C (of the length, the fields
 * after the CRC and the payload), UID, the hash of the storage key, the message's physical size (known
 * from the listing, where RFC822.SIZE may not be measured yet), then the payload (a
 * {@link StructureCodec} encoding). A record is served only for the same UID, key hash and size, and
 * only while the mailbox holds the message.
 *
 * <p>Opening reads the UID to offset table from the last checkpoint ({@link StructureCacheMap}),
 * then the records appended after it (all records when there is no usable checkpoint); this
 * happens on a virtual thread as the mailbox opens. A torn or damaged tail is cut off, a damaged
 * header or another version or UIDVALIDITY starts the file afresh, a damaged record found later is
 * forgotten and written anew, each logged once per open. Records of expunged messages are
 * forgotten and the file rewritten without them once they outnumber the live ones. Any I/O failure
 * turns the file off for this open: the structures are then parsed as without it.
 */
final class StructureCacheFile implements AutoCloseable {
    static final String FILE = "roost.index.cache";
    private static final System.Logger LOG = System.getLogger(StructureCacheFile.class.getName());
    private static final int MAGIC = 0x524f4343; // "ROCC"
    /** 2: records keyed by the physical size (1: by RFC822.SIZE). */
    private static final int VERSION = 2;
    private static final int HEADER_SIZE = 32;
    private static final int RECORD_HEADER = 24;
    static final int ALIGN = 8;
    /** Larger structures (thousands of parts, a megabyte of headers) are parsed each time instead. */
    static final int MAX_PAYLOAD = 4 << 20;
    /** The file stops growing here; offsets / {@link #ALIGN} must fit an int. */
    private static final long MAX_FILE_BYTES = 4L << 30;
    /** Compaction waits for at least this many forgotten records (and more of them than live ones). */
    private static final int COMPACT_MIN_DEAD = 1024;
    /**
     * The table is checkpointed ({@link StructureCacheMap}) once this many records, and a sixteenth
     * of the live ones, were added since the last checkpoint: an open then reads at most that many
     * records of the cache file, and the checkpoints cost 128 bytes written per record added.
     */
    private static final int CHECKPOINT_MIN = 1024;
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();
    /** How long reads wait at most for a {@link #load} in progress. */
    private static final long LOAD_WAIT_NANOS = 50_000_000L;

    private final Path directory;
    private final Path path;
    private final String label;
    private final int compactMinDead;
    private final int checkpointMin;
    private final ReentrantLock lock = new ReentrantLock();
    private FileChannel channel;
    private boolean disabled;
    /** Set by {@link #close()}: a preload that starts later must not reopen the file. */
    private boolean closed;
    /**
     * While {@link #load} reads the file, readers wait for it until {@link #loadDeadline} (reading a
     * checkpoint takes milliseconds, parsing messages from a cold disk takes longer), then pass by
     * and parse; writers pass by at once.
     */
    private volatile boolean loading;
    private volatile long loadDeadline;
    private boolean damageLogged;
    private long uidValidity;
    /** Random per incarnation of the file (new at a fresh start or a compaction): ties a checkpoint to it. */
    private long generation;
    private int sinceCheckpoint;
    private long end;
    private UidOffsets offsets = new UidOffsets();
    private int live;
    private int dead;

    StructureCacheFile(Path directory, String label) {
        this(directory, label, COMPACT_MIN_DEAD, CHECKPOINT_MIN);
    }

    StructureCacheFile(Path directory, String label, int compactMinDead, int checkpointMin) {
        this.directory = directory;
        this.path = directory.resolve(FILE);
        this.label = label;
        this.compactMinDead = compactMinDead;
        this.checkpointMin = checkpointMin;
    }

    /** Whether there is a file to read (opening a mailbox never creates one; the first write does). */
    boolean exists() {
        return Files.exists(path);
    }

    /**
     * Reads an existing file into the offset table ahead of the first FETCH; returns whether there
     * is a table to read from. While it reads, structures are parsed from the messages as without
     * the file, rather than waiting for a large file to be read.
     */
    boolean load(MailboxSnapshot snapshot) {
        loadDeadline = System.nanoTime() + LOAD_WAIT_NANOS;
        loading = true;
        lock.lock();
        try {
            if (!disabled && !closed && channel == null) {
                long started = System.nanoTime();
                open(snapshot, false);
                LOG.log(System.Logger.Level.DEBUG, "{0}: structure cache read, {1} records, in {2} ms", label, live,
                        (System.nanoTime() - started) / 1_000_000);
            }
            return channel != null;
        } catch (NoSuchFileException removedMeanwhile) {
            closeChannel();
            return false;
        } catch (IOException | RuntimeException e) {
            disable(e);
            return false;
        } finally {
            loading = false;
            lock.unlock();
        }
    }

    /** The cached structure of a message that {@code snapshot} holds, or null. */
    MessageStructure read(StoredMessage m, MailboxSnapshot snapshot) {
        return read(m, snapshot, true);
    }

    /** Like {@link #read}, but null while the file is not open (closed meanwhile: not reopened). */
    MessageStructure readIfOpen(StoredMessage m, MailboxSnapshot snapshot) {
        return read(m, snapshot, false);
    }

    private MessageStructure read(StoredMessage m, MailboxSnapshot snapshot, boolean openIfNeeded) {
        if (!lockUnlessLoadingLong()) {
            return null;
        }
        try {
            if (channel == null && !openIfNeeded || !ready(snapshot)) {
                return null;
            }
            long offset = offsets.get(m.uid());
            return offset < 0 ? null : readRecord(offset, m);
        } catch (IOException | RuntimeException e) {
            disable(e);
            return null;
        } finally {
            lock.unlock();
        }
    }

    /** Takes the lock, waiting for a load in progress only until its deadline; false if not taken. */
    private boolean lockUnlessLoadingLong() {
        if (!loading) {
            lock.lock();
            return true;
        }
        try {
            return lock.tryLock(Math.max(0, loadDeadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Adds a message's structure (unless already there, or too large). */
    void write(StoredMessage m, MessageStructure structure, MailboxSnapshot snapshot) {
        byte[] payload = StructureCodec.encode(structure);
        if (payload == null || payload.length > MAX_PAYLOAD || m.uid() <= 0 || m.uid() > 0xffffffffL || loading) {
            return;
        }
        lock.lock();
        try {
            if (!ready(snapshot) || offsets.get(m.uid()) >= 0) {
                return;
            }
            var record = record(m, payload);
            if (end + record.remaining() > MAX_FILE_BYTES) {
                return;
            }
            long at = end;
            writeFully(record, at);
            end += record.capacity();
            offsets.put(m.uid(), at);
            live++;
            if (++sinceCheckpoint >= Math.max(checkpointMin, live / 16)) {
                checkpoint(snapshot.table());
            }
        } catch (IOException | RuntimeException e) {
            disable(e);
        } finally {
            lock.unlock();
        }
    }

    /** The message is expunged: its record is never served again, and counts toward a compaction. */
    void forget(long uid) {
        lock.lock();
        try {
            if (channel != null && offsets.remove(uid) >= 0) {
                live--;
                dead++;
                compactIfMostlyDead();
            }
        } catch (IOException | RuntimeException e) {
            disable(e);
        } finally {
            lock.unlock();
        }
    }

    /** Removes the file (the index is being rebuilt); the next use starts a new one. */
    void delete() {
        lock.lock();
        try {
            closeChannel();
            Files.deleteIfExists(path);
            StructureCacheMap.delete(directory);
            disabled = false;
        } catch (IOException e) {
            disable(e);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            closeChannel();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the file until the next read or write opens (and reads) it again, to give its descriptor back; false
     * when it is in use, which keeps it.
     */
    boolean release() {
        if (!lock.tryLock()) {
            return false;
        }
        try {
            closeChannel();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Records in the file that are served (for tests). */
    int liveRecords() {
        return live;
    }

    private boolean ready(MailboxSnapshot snapshot) throws IOException {
        if (disabled) {
            return false;
        }
        if (channel == null) {
            open(snapshot, true);
        } else if (snapshot.uidValidity() != uidValidity) {
            LOG.log(System.Logger.Level.INFO, "{0}: UIDVALIDITY changed; starting the structure cache afresh", label);
            start(snapshot.uidValidity());
        }
        return true;
    }

    private void open(MailboxSnapshot snapshot, boolean create) throws IOException {
        channel = create
                ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE)
                : FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        if (size == 0) {
            start(snapshot.uidValidity());
            return;
        }
        var problem = headerProblem(size, snapshot.uidValidity());
        if (problem != null) {
            if (problem.startsWith("of another UIDVALIDITY")) {
                LOG.log(System.Logger.Level.INFO, "{0}: structure cache {1}; starting it afresh", label, problem);
            } else {
                damaged(problem + "; starting it afresh");
            }
            start(snapshot.uidValidity());
            return;
        }
        uidValidity = snapshot.uidValidity();
        var table = snapshot.table();
        var checkpoint = StructureCacheMap.read(directory, generation, uidValidity, size);
        if (checkpoint == null) {
            StructureCacheMap.delete(directory); // whatever it was, the full read below replaces it
        }
        long from = checkpoint == null ? HEADER_SIZE : adopt(checkpoint);
        if (scan(from, size, table) >= checkpointMin) {
            checkpoint(table);
        }
        compactIfMostlyDead();
    }

    /**
     * Takes the checkpointed table as it is (messages expunged since count as dead at the next
     * checkpoint, and are never served meanwhile: the caller serves only messages the snapshot
     * holds); returns where it ends.
     */
    private long adopt(StructureCacheMap.Checkpoint checkpoint) {
        offsets = checkpoint.offsets();
        live = offsets.size();
        dead = checkpoint.dead();
        return checkpoint.covered();
    }

    /** Writes the table as a checkpoint, first forgetting messages {@code table} no longer holds (when given). */
    private void checkpoint(MessageTable table) throws IOException {
        var sorted = offsets.sorted();
        if (table != null) {
            for (int uid : sorted.uids()) {
                if (table.indexOf(uid & 0xffffffffL) < 0 && offsets.remove(uid & 0xffffffffL) >= 0) {
                    live--;
                    dead++;
                }
            }
            sorted = offsets.sorted();
        }
        StructureCacheMap.write(directory, generation, uidValidity, end, dead, sorted);
        sinceCheckpoint = 0;
    }

    /** Why the header cannot be used, or null when it can. */
    private String headerProblem(long size, long expectedUidValidity) throws IOException {
        if (size < HEADER_SIZE) {
            return "header cut short";
        }
        var header = ByteBuffer.allocate(HEADER_SIZE);
        readFully(header, 0);
        if (header.getInt(0) != MAGIC || header.getInt(28) != crc(header.array(), 0, 28)) {
            return "header damaged";
        }
        if (header.getInt(4) != VERSION) {
            return "of another version (" + header.getInt(4) + ")";
        }
        generation = header.getLong(16);
        return header.getLong(8) == expectedUidValidity ? null : "of another UIDVALIDITY";
    }

    /** Empties the file and writes a fresh header (of a new generation: no checkpoint fits it). */
    private void start(long newUidValidity) throws IOException {
        StructureCacheMap.delete(directory);
        channel.truncate(0);
        uidValidity = newUidValidity;
        generation = RANDOM.nextLong();
        writeFully(header(), 0);
        end = HEADER_SIZE;
        offsets = new UidOffsets();
        live = 0;
        dead = 0;
        sinceCheckpoint = 0;
    }

    /** Magic, version, UIDVALIDITY, generation, CRC-32C. */
    private ByteBuffer header() {
        var header = ByteBuffer.allocate(HEADER_SIZE);
        header.putInt(0, MAGIC).putInt(4, VERSION).putLong(8, uidValidity).putLong(16, generation);
        header.putInt(28, crc(header.array(), 0, 28));
        return header;
    }

    /**
     * Reads the records from {@code from} on (all of them, or those after the checkpoint), checking
     * each CRC, into the offset table; records of messages the table no longer holds, or superseded
     * by a later one, count as dead. Stops at the first record that is cut short (a crash while
     * appending: dropped quietly) or damaged (logged), and cuts the file there so that new records
     * follow valid ones. Returns how many records it read.
     */
    private int scan(long from, long size, MessageTable table) throws IOException {
        int records = 0;
        long pos = from;
        String problem = null;
        var in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel.position(pos)), 1 << 16));
        var head = new byte[RECORD_HEADER];
        while (pos < size) {
            if (size - pos < RECORD_HEADER) {
                break;
            }
            in.readFully(head);
            var h = ByteBuffer.wrap(head);
            int length = h.getInt(0);
            if (length <= 0 || length > MAX_PAYLOAD) {
                problem = "record length " + length + " at " + pos;
                break;
            }
            long total = recordSize(length);
            if (pos + total > size) {
                break;
            }
            var payload = new byte[length];
            in.readFully(payload);
            long uid = h.getInt(8) & 0xffffffffL;
            if (uid == 0 || h.getInt(4) != recordCrc(head, payload)) {
                problem = "record checksum at " + pos;
                break;
            }
            in.skipNBytes(total - RECORD_HEADER - length);
            boolean superseded = offsets.put(uid, pos) >= 0;
            if (superseded || table.indexOf(uid) < 0) {
                dead++;
                if (!superseded) {
                    offsets.remove(uid);
                }
            } else {
                live++;
            }
            pos += total;
            records++;
        }
        if (problem != null) {
            damaged(problem + "; dropping the records from there on");
        }
        if (pos < size) {
            channel.truncate(pos);
        }
        end = pos;
        return records;
    }

    private MessageStructure readRecord(long offset, StoredMessage m) throws IOException {
        var head = ByteBuffer.allocate(RECORD_HEADER);
        readFully(head, offset);
        int length = head.getInt(0);
        if (length <= 0 || length > MAX_PAYLOAD || offset + recordSize(length) > end
                || (head.getInt(8) & 0xffffffffL) != m.uid()) {
            return unusable(m.uid(), "record at " + offset + " does not match its table entry");
        }
        if (head.getInt(12) != m.key().hashCode() || head.getLong(16) != m.physicalSize()) {
            offsets.remove(m.uid()); // another message under this UID: parsed and written anew
            live--;
            dead++;
            return null;
        }
        var payload = ByteBuffer.allocate(length);
        readFully(payload, offset + RECORD_HEADER);
        if (head.getInt(4) != recordCrc(head.array(), payload.array())) {
            return unusable(m.uid(), "record checksum at " + offset);
        }
        try {
            return StructureCodec.decode(payload.array(), 0, length);
        } catch (IllegalArgumentException e) {
            return unusable(m.uid(), "record at " + offset + ": " + e.getMessage());
        }
    }

    /** A record damaged after the file was read (or by another writer): forgotten, so the message is parsed again. */
    private MessageStructure unusable(long uid, String problem) {
        damaged(problem);
        offsets.remove(uid);
        live--;
        dead++;
        return null;
    }

    private ByteBuffer record(StoredMessage m, byte[] payload) {
        var record = ByteBuffer.allocate((int) recordSize(payload.length));
        record.putInt(0, payload.length).putInt(8, (int) m.uid()).putInt(12, m.key().hashCode())
                .putLong(16, m.physicalSize()).put(RECORD_HEADER, payload);
        record.putInt(4, recordCrc(record.array(), payload));
        return record;
    }

    private static long recordSize(int payloadLength) {
        long raw = (long) RECORD_HEADER + payloadLength;
        return (raw + ALIGN - 1) / ALIGN * ALIGN;
    }

    private static int recordCrc(byte[] head, byte[] payload) {
        var crc = new CRC32C();
        crc.update(head, 0, 4);
        crc.update(head, 8, RECORD_HEADER - 8);
        crc.update(payload, 0, payload.length);
        return (int) crc.getValue();
    }

    private static int crc(byte[] bytes, int offset, int length) {
        var crc = new CRC32C();
        crc.update(bytes, offset, length);
        return (int) crc.getValue();
    }

    private void compactIfMostlyDead() throws IOException {
        if (dead < compactMinDead || dead <= live) {
            return;
        }
        long[] kept = offsets.offsets();
        Arrays.sort(kept); // copied in file order: one sequential pass over the old file
        var temporary = path.resolveSibling(FILE + ".tmp");
        var rewritten = new UidOffsets();
        long pos = HEADER_SIZE;
        try (var out = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            generation = RANDOM.nextLong();
            writeFully(out, header(), 0);
            var head = ByteBuffer.allocate(RECORD_HEADER);
            for (long offset : kept) {
                readFully(head.clear(), offset);
                int length = head.getInt(0);
                if (length <= 0 || length > MAX_PAYLOAD || offset + recordSize(length) > end) {
                    continue; // damaged since it was read: left behind
                }
                var record = ByteBuffer.allocate((int) recordSize(length));
                readFully(record, offset);
                writeFully(out, record, pos);
                rewritten.put(head.getInt(8) & 0xffffffffL, pos);
                pos += record.capacity();
            }
        }
        Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        closeChannel();
        channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        offsets = rewritten;
        end = pos;
        live = rewritten.size();
        dead = 0;
        checkpoint(null);
    }

    private void damaged(String problem) {
        if (!damageLogged) {
            damageLogged = true;
            LOG.log(System.Logger.Level.WARNING, "{0}: structure cache damaged ({1}); the messages concerned are "
                    + "parsed again", label, problem);
        }
    }

    /** Gives up on the file for this open; FETCH goes on parsing messages as without it. */
    private void disable(Exception e) {
        LOG.log(System.Logger.Level.WARNING, "{0}: cannot use the structure cache ({1}); going on without it",
                label, e.toString());
        disabled = true;
        closeChannel();
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing pending: every write was complete when it returned, and none needs syncing
            }
            channel = null;
        }
        offsets = new UidOffsets();
        live = 0;
        dead = 0;
    }

    private void readFully(ByteBuffer buffer, long at) throws IOException {
        long pos = at;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw new EOFException("structure cache shorter than its table says");
            }
            pos += n;
        }
        buffer.flip();
    }

    private void writeFully(ByteBuffer buffer, long at) throws IOException {
        writeFully(channel, buffer, at);
    }

    private static void writeFully(FileChannel target, ByteBuffer buffer, long at) throws IOException {
        long pos = at;
        while (buffer.hasRemaining()) {
            pos += target.write(buffer, pos);
        }
    }
}
