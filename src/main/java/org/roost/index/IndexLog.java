package org.roost.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.StoredMessage;
import org.roost.storage.ChangeToken;

/**
 * The append-only change log {@code roost.index.log} beside the index file: the changes since the
 * index was last written (appends, flag changes, expunges, keyword names, and the dates and sizes looked up
 * after the message was listed), in transactions that end with a commit record (UIDNEXT, HIGHESTMODSEQ
 * and the storage's change token after the change, and the {@link TableSummary} SELECT reports
 * then, so that a mailbox opens without applying the log to its records). Each record carries a CRC-32C; replay stops
 * at the first record that is torn or damaged, and only whole transactions are applied.
 *
 * <pre>
 * header (32 bytes): magic "ROLG", version, generation (must match the index file's), CRC-32C of bytes 0..15
 * record: u32 length of (type + payload), u8 type, payload, CRC-32C of (length, type, payload)
 * </pre>
 */
final class IndexLog implements AutoCloseable {
    private static final byte APPEND = 1;
    private static final byte FLAGS = 2;
    private static final byte EXPUNGE = 3;
    private static final byte KEYWORD = 4;
    private static final byte COMMIT = 5;
    private static final byte FACTS = 7;
    static final int MAX_RECORD = 70_000;

    private final Path file;
    private final boolean fsync;
    /** Guards {@link #channel}: the log is written by its mailbox's writer, and released by whoever needs descriptors. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Null until the first write, and after a {@link #release}: a write opens the file (again). */
    private FileChannel channel;
    /** Where the next transaction goes: the end of the last whole one. */
    private long length;
    private int keywordsLogged;

    /** Opened by the first {@link #write}. */
    private IndexLog(Path file, long length, boolean fsync, int keywordsLogged) {
        this.file = file;
        this.length = length;
        this.fsync = fsync;
        this.keywordsLogged = keywordsLogged;
    }

    /** A commit: the state after the transaction's changes, and what SELECT reports of it. */
    record Commit(long uidNext, long highestModseq, ChangeToken token, TableSummary summary) {}

    /**
     * What a replay found: the last whole transaction's commit, where it ends, and how many changes the
     * whole transactions hold (read again by {@link #changes} when the table is needed, so that they are
     * never on the heap all at once).
     */
    record Replayed(Commit last, boolean clean, long validLength, long changes) {}

    /** Starts a new, empty log for {@code generation}, replacing any old one. */
    static IndexLog create(Path file, long generation, boolean fsync, int keywordsInIndex) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var header = ByteBuffer.allocate(IndexFormat.LOG_HEADER_SIZE);
            header.putInt(IndexFormat.LOG_MAGIC).putInt(IndexFormat.VERSION).putLong(generation);
            header.putInt(IndexFormat.crc(header.array(), 0, 16));
            channel.write(header.clear());
            if (fsync) {
                channel.force(true);
            }
        }
        // opened again by the first write: a mailbox whose index was just built for a STATUS may never write
        return new IndexLog(file, IndexFormat.LOG_HEADER_SIZE, fsync, keywordsInIndex);
    }

    /**
     * Reads the log of {@code generation}, adding the keywords it names to {@code names}, and checks every
     * transaction (each change against its commit). Returns null when there is no log for this generation
     * (absent, other generation, damaged header).
     */
    static Replayed replay(Path file, long generation, KeywordNames names) throws IOException {
        try (var records = LogRecords.open(file, generation, Long.MAX_VALUE)) {
            if (records == null) {
                return null;
            }
            var pending = new Transaction();
            long changes = 0;
            Commit last = null;
            long validLength = records.position();
            ByteBuffer record;
            while ((record = records.next()) != null) {
                try {
                    byte type = record.get();
                    switch (type) {
                        case APPEND, FLAGS, EXPUNGE, FACTS -> pending.add(change(type, record));
                        case KEYWORD -> {
                            int bit = record.get();
                            var name = string(record);
                            if (bit != names.size() || name.isEmpty()) {
                                return new Replayed(last, false, validLength, changes);
                            }
                            names.mask(java.util.Set.of(name));
                        }
                        case COMMIT -> {
                            var commit = commit(record);
                            if (!pending.plausible(commit, names)) {
                                return new Replayed(last, false, validLength, changes);
                            }
                            changes += pending.count;
                            pending = new Transaction();
                            last = commit;
                            validLength = records.position();
                        }
                        default -> {
                            return new Replayed(last, false, validLength, changes);
                        }
                    }
                } catch (java.nio.BufferUnderflowException e) {
                    return new Replayed(last, false, validLength, changes);
                }
            }
            return new Replayed(last, records.atEnd() && pending.count == 0, validLength, changes);
        }
    }

    /** Something that takes the log's changes one by one. */
    interface ChangeSink {
        void accept(Change change);
    }

    /**
     * Gives {@code sink} the changes of the whole transactions a {@link #replay} found, in order, reading
     * the log again up to {@code validLength}; damage when the log no longer holds them.
     */
    static void changes(Path file, long generation, long validLength, ChangeSink sink) throws IOException {
        try (var records = LogRecords.open(file, generation, validLength)) {
            if (records == null) {
                throw new IndexFile.DamagedException("the log is gone");
            }
            ByteBuffer record;
            while ((record = records.next()) != null) {
                byte type = record.get();
                switch (type) {
                    case APPEND, FLAGS, EXPUNGE, FACTS -> sink.accept(change(type, record));
                    default -> { } // keywords were named by the replay, commits checked by it
                }
            }
            if (records.position() != validLength) {
                throw new IndexFile.DamagedException("the log changed since it was replayed");
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw new IndexFile.DamagedException("the log changed since it was replayed");
        }
    }

    private static Change change(byte type, ByteBuffer record) {
        return switch (type) {
            case APPEND -> new Change.Append(record.getLong(), record.get(), record.getLong(), record.getLong(),
                    record.getLong(), record.getLong(), record.getLong(), string(record));
            case FLAGS -> new Change.Flags(record.getLong(), record.get(), record.getLong(), record.getLong());
            case EXPUNGE -> new Change.Expunge(record.getLong());
            case FACTS -> new Change.Facts(record.getLong(), record.getLong(), record.getLong(), record.getLong());
            default -> throw new IllegalArgumentException("not a change: " + type);
        };
    }

    private static Commit commit(ByteBuffer record) {
        return new Commit(record.getLong(), record.getLong(), new ChangeToken(record.getLong(), record.getLong(),
                record.getLong(), record.get() == 1), new TableSummary(record.getInt(), record.getLong(),
                record.getInt(), record.getInt(), record.getLong(), record.getLong(), record.getInt()));
    }

    /**
     * What a transaction's changes must agree with at its commit, gathered change by change (a transaction
     * may hold a million facts): the UIDs below the commit's UIDNEXT, the keywords among the names.
     */
    private static final class Transaction {
        private long count;
        private long lowestUid = Long.MAX_VALUE;
        private long highestUid;
        private long keywords;
        private boolean valid = true;

        void add(Change c) {
            count++;
            lowestUid = Math.min(lowestUid, c.uid());
            highestUid = Math.max(highestUid, c.uid());
            valid &= switch (c) {
                case Change.Append a -> {
                    keywords |= a.keywords();
                    yield (a.flags() & ~IndexFormat.VALID_FLAG_BITS) == 0 && !a.key().isEmpty()
                            && plausibleSize(a.size()) && plausibleSize(a.virtualSize())
                            && MessageTable.validDate(a.internalDate());
                }
                case Change.Flags f -> {
                    keywords |= f.keywords();
                    yield (f.flags() & ~IndexFormat.VALID_FLAG_BITS) == 0;
                }
                case Change.Expunge e -> true;
                case Change.Facts f -> MessageTable.validDate(f.internalDate()) && plausibleSize(f.size())
                        && plausibleSize(f.virtualSize());
            };
        }

        boolean plausible(Commit commit, KeywordNames names) {
            long validKeywords = names.size() == 64 ? -1L : (1L << names.size()) - 1;
            return commit.summary().plausible(commit.uidNext(), names.size()) && valid
                    && (count == 0 || (lowestUid > 0 && highestUid < commit.uidNext()))
                    && (keywords & ~validKeywords) == 0;
        }
    }

    private static boolean plausibleSize(long size) {
        return size >= 0 || size == StoredMessage.UNKNOWN_SIZE;
    }

    private static String string(ByteBuffer record) {
        int length = Short.toUnsignedInt(record.getShort());
        var bytes = new byte[length];
        record.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** An existing log to append to after its last whole transaction (a torn tail is cut off). */
    static IndexLog reopen(Path file, long validLength, boolean fsync, int keywords) throws IOException {
        if (java.nio.file.Files.size(file) != validLength) {
            try (var channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(validLength);
            }
        }
        return new IndexLog(file, validLength, fsync, keywords);
    }

    /** Appends one transaction and, when {@code durable} (and fsync is on), makes it durable before returning. */
    void write(List<? extends Change> changes, KeywordNames names, Commit commit, boolean durable) throws IOException {
        var out = new java.io.ByteArrayOutputStream();
        var allNames = names.names();
        for (; keywordsLogged < allNames.size(); keywordsLogged++) {
            var name = allNames.get(keywordsLogged).getBytes(StandardCharsets.UTF_8);
            record(out, ByteBuffer.allocate(1 + 1 + 2 + name.length).put(KEYWORD).put((byte) keywordsLogged)
                    .putShort((short) name.length).put(name));
        }
        for (var c : changes) {
            record(out, switch (c) {
                case Change.Append a -> {
                    var key = a.key().getBytes(StandardCharsets.UTF_8);
                    yield ByteBuffer.allocate(1 + 8 + 1 + 8 * 5 + 2 + key.length).put(APPEND).putLong(a.uid())
                            .put((byte) a.flags()).putLong(a.keywords()).putLong(a.modseq()).putLong(a.internalDate())
                            .putLong(a.size()).putLong(a.virtualSize()).putShort((short) key.length).put(key);
                }
                case Change.Flags f -> ByteBuffer.allocate(1 + 8 + 1 + 8 + 8).put(FLAGS).putLong(f.uid())
                        .put((byte) f.flags()).putLong(f.keywords()).putLong(f.modseq());
                case Change.Expunge e -> ByteBuffer.allocate(1 + 8).put(EXPUNGE).putLong(e.uid());
                case Change.Facts f -> ByteBuffer.allocate(1 + 8 * 4).put(FACTS).putLong(f.uid()).putLong(f.internalDate())
                        .putLong(f.size()).putLong(f.virtualSize());
            });
        }
        var t = commit.token();
        var summary = commit.summary();
        record(out, ByteBuffer.allocate(1 + 8 * 5 + 1 + 4 * 4 + 8 * 3).put(COMMIT).putLong(commit.uidNext())
                .putLong(commit.highestModseq()).putLong(t == null ? 0 : t.deliveries())
                .putLong(t == null ? 0 : t.contents()).putLong(t == null ? 0 : t.metadata())
                .put((byte) (t != null && t.settled() ? 1 : 0)).putInt(summary.count()).putLong(summary.lastUid())
                .putInt(summary.firstUnseenRow()).putInt(summary.unseenCount()).putLong(summary.keywordMask())
                .putLong(summary.totalVirtualSize()).putInt(summary.pendingSizes()));
        var buffer = ByteBuffer.wrap(out.toByteArray());
        lock.lock();
        try {
            var open = opened();
            long at = length;
            while (buffer.hasRemaining()) {
                at += open.write(buffer, at);
            }
            if (fsync && durable) {
                open.force(false);
            }
            length = at;
        } finally {
            lock.unlock();
        }
    }

    /** The channel, opened again after a {@link #release}. */
    private FileChannel opened() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE);
        }
        return channel;
    }

    /**
     * Closes the file until the next write (nothing is pending: each write was whole when it returned); false when
     * a write is under way, which keeps it.
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

    private static void record(java.io.ByteArrayOutputStream out, ByteBuffer filled) {
        int length = filled.position();
        var bytes = new byte[4 + length + 4];
        var b = ByteBuffer.wrap(bytes);
        b.putInt(length).put(filled.array(), 0, length);
        b.putInt(IndexFormat.crc(bytes, 0, 4 + length));
        out.writeBytes(bytes);
    }

    /** The log's length up to its last whole transaction. */
    long size() {
        lock.lock();
        try {
            return length;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeChannel();
        } finally {
            lock.unlock();
        }
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was pending: every write was complete when it returned
            }
            channel = null;
        }
    }
}
