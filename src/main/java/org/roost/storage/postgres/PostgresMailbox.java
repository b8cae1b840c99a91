package org.roost.storage.postgres;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.roost.mail.ConcurrentChangeException;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.Keywords;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StorageException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;
import org.roost.storage.ChangeToken;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/**
 * One mailbox: its row in {@code mailboxes} and its rows in {@code messages}. UIDs are allocated by one
 * {@code UPDATE ... RETURNING} on the mailbox row in the transaction that inserts the messages, so replicas
 * never hand out a UID twice and a commit is all or none; every change bumps the row's {@code highest_modseq},
 * which is the change token and the MODSEQ the change gives its rows: the database allocates the MODSEQs, so every
 * replica serves the same ones. A message's {@link StoredMessage#key() key} is its UID.
 */
final class PostgresMailbox implements MailboxStore {
    /** Keywords one message may carry. */
    static final int MAX_KEYWORDS = 128;
    private static final long MAX_UID = 4_294_967_295L;
    private static final int FETCH_SIZE = 2000;
    /** Body keys kept per open mailbox, and read at once on a miss. */
    private static final int BODY_KEYS_KEPT = 4096;
    private static final int BODY_KEYS_READ = 256;
    /** Save dates kept per open mailbox, and read at once on a miss (a FETCH SAVEDATE 1:* reads them in pages). */
    private static final int SAVE_DATES_KEPT = 4096;
    private static final int SAVE_DATES_READ = 1000;
    /** Messages whose kept structures one read looks up (see {@link #keptStructures}). */
    private static final int STRUCTURES_READ = 256;
    /**
     * What every write of this version sets beside a HIGHESTMODSEQ raised by one: the summary, which the triggers
     * keep right for the write's rows, stays marked as kept (see V5__mailbox_summary.sql).
     */
    static final String CARRY_SUMMARY = "summary_modseq = CASE WHEN summary_modseq = highest_modseq"
            + " THEN highest_modseq + 1 ELSE summary_modseq END";
    private static final System.Logger LOG = System.getLogger(PostgresMailbox.class.getName());

    private final MailDatabase database;
    private final Bodies bodies;
    private final ChangeFeed changes;
    private final long id;
    private final String name;
    private final Path indexDirectory;
    private final Cache<Long, String> bodyKeys = Caffeine.newBuilder().maximumSize(BODY_KEYS_KEPT).build();
    private final Cache<Long, Instant> saveDates = Caffeine.newBuilder().maximumSize(SAVE_DATES_KEPT).build();
    private volatile long uidValidity;
    private volatile long nextUid;
    private volatile long highestModseq;
    private volatile WriteStamps lastWrite;

    PostgresMailbox(MailDatabase database, Bodies bodies, ChangeFeed changes, long id, String name, long uidValidity,
            long nextUid, long highestModseq, Path indexDirectory) {
        this.database = database;
        this.bodies = bodies;
        this.changes = changes;
        this.id = id;
        this.name = name;
        this.uidValidity = uidValidity;
        this.nextUid = nextUid;
        this.highestModseq = highestModseq;
        this.indexDirectory = indexDirectory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long uidValidity() {
        return uidValidity;
    }

    @Override
    public long nextUid() {
        return nextUid;
    }

    @Override
    public boolean allocatesModseqs() {
        return true;
    }

    @Override
    public long highestModseq() {
        return highestModseq;
    }

    @Override
    public Path indexDirectory() {
        return indexDirectory;
    }

    @Override
    public List<StoredMessage> scan() throws IOException {
        return MailboxStore.collected(this);
    }

    /**
     * One snapshot: the mailbox row and its messages as of one instant, streamed by one binary COPY. Where the row's
     * summary claims to be right and the rows read disagree with it (a writer that bypassed the triggers), it is
     * counted again.
     */
    @Override
    public void scan(ScanConsumer consumer) throws IOException {
        scanAsOf(Long.MAX_VALUE, 1, consumer);
    }

    /**
     * One snapshot, as {@link #scan(ScanConsumer)}: the UIDs expunged after {@code modseq} (none asked for when the
     * row's HIGHESTMODSEQ did not move past it), then the rows from {@code fromUid} on. A read from the first UID checks
     * the summary as a scan does; a resumed one cannot (it sees part of the rows).
     */
    @Override
    public void scanAsOf(long modseq, long fromUid, ScanConsumer consumer) throws IOException {
        boolean wrong = database.snapshot(c -> {
            var row = row(c);
            consumer.expungedAfter(row.highestModseq() <= modseq ? UidSet.empty()
                    : modseq < row.expungedExactFrom() ? null : expungedRanges(c, modseq));
            consumer.expect((int) Math.min(Integer.MAX_VALUE, row.count()));
            var tally = new Tally(consumer);
            CopiedMessages.copy(c, CopiedMessages.select("mailbox_id = " + id + " AND uid >= " + fromUid), tally);
            return fromUid <= 1 && row.summaryKept() && !tally.agrees(row);
        });
        if (wrong) {
            countAgain();
        }
    }

    /** The mailbox row's counters and summary, which the instance's UIDVALIDITY, UIDNEXT and HIGHESTMODSEQ adopt. */
    private record MailboxRow(long uidValidity, long uidNext, long highestModseq, long summaryModseq, long count,
                              long unseen, long totalVirtualSize, long expungedExactFrom) {
        /** Whether the summary was kept up to the row's HIGHESTMODSEQ (every write since carried it along). */
        boolean summaryKept() {
            return summaryModseq == highestModseq;
        }
    }

    private MailboxRow row(Connection c) throws SQLException, IOException {
        try (var s = database.prepare(c, "SELECT uid_validity, uid_next, highest_modseq, summary_modseq, message_count,"
                + " unseen_count, total_virtual_size, expunged_exact_from FROM mailboxes WHERE id = ?")) {
            s.setLong(1, id);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw gone();
                }
                var row = new MailboxRow(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4),
                        rows.getLong(5), rows.getLong(6), rows.getLong(7), rows.getLong(8));
                uidValidity = row.uidValidity();
                nextUid = row.uidNext();
                highestModseq = row.highestModseq();
                return row;
            }
        }
    }

    /** Counts the rows a scan hands on, to check the mailbox row's summary against them. */
    private static final class Tally implements ScanConsumer {
        private final ScanConsumer consumer;
        private long count;
        private long unseen;
        private long bytes;

        Tally(ScanConsumer consumer) {
            this.consumer = consumer;
        }

        @Override
        public void expect(int messages) throws IOException {
            consumer.expect(messages);
        }

        @Override
        public void accept(StoredMessage message) throws IOException {
            throw new IllegalStateException("rows come as ScanRows");
        }

        @Override
        public void accept(ScanRow row) throws IOException {
            count++;
            unseen += row.flags().contains(SystemFlag.SEEN) ? 0 : 1;
            bytes += row.virtualSize();
            consumer.accept(row);
        }

        boolean agrees(MailboxRow row) {
            return row.count() == count && row.unseen() == unseen && row.totalVirtualSize() == bytes;
        }
    }

    /**
     * What SELECT needs, from the mailbox row and three probes of indexes (the last UID, the first unseen one and its
     * position), never a read of the messages: the row's counters, which the database's triggers keep (schema V5).
     * A summary that was not kept up to the row's HIGHESTMODSEQ (a write by a replica of an older version), or that
     * cannot be right, is counted again from the messages first.
     */
    @Override
    public Summary summary() throws IOException {
        var summary = database.snapshot(this::keptSummary);
        if (summary == null) {
            countAgain();
            summary = database.snapshot(this::keptSummary);
        }
        return summary;
    }

    /** The summary as the row keeps it, or null when it is not kept up to date or cannot be right. */
    private Summary keptSummary(Connection c) throws SQLException, IOException {
        var row = row(c);
        if (!row.summaryKept() || row.count() < 0 || row.count() > Integer.MAX_VALUE || row.unseen() < 0
                || row.unseen() > row.count()) {
            return null;
        }
        try (var s = database.prepare(c, "SELECT (SELECT max(uid) FROM messages WHERE mailbox_id = ?),"
                + " (SELECT min(uid) FROM messages WHERE mailbox_id = ? AND flags & 1 = 0),"
                + " ARRAY(SELECT keyword FROM mailbox_keywords WHERE mailbox_id = ? AND messages > 0)")) {
            for (int i = 1; i <= 3; i++) {
                s.setLong(i, id);
            }
            try (var rows = s.executeQuery()) {
                rows.next();
                long lastUid = rows.getLong(1);
                long firstUnseen = rows.getLong(2);
                var keywords = Set.of((String[]) rows.getArray(3).getArray());
                int count = (int) row.count();
                if ((count == 0) != (lastUid == 0) || lastUid >= row.uidNext() || lastUid < count
                        || (row.unseen() == 0) != (firstUnseen == 0)) {
                    return null;
                }
                int firstUnseenRow = firstUnseen == 0 ? -1 : rowOf(c, firstUnseen, count);
                if (firstUnseenRow >= count) {
                    return null;
                }
                return new Summary(row.uidValidity(), row.uidNext(), row.highestModseq(), count, lastUid,
                        (int) row.unseen(), firstUnseenRow, keywords, row.totalVirtualSize(),
                        token(row.uidNext(), row.highestModseq()));
            }
        }
    }

    /**
     * The 0-based position of the message {@code uid} among {@code count}: the messages before it, counted on the
     * primary key from whichever end is nearer (at most half the mailbox's index entries, read without the rows).
     */
    private int rowOf(Connection c, long uid, int count) throws SQLException {
        int half = count / 2 + 1;
        try (var s = database.prepare(c, "SELECT count(*) FROM (SELECT 1 FROM messages WHERE mailbox_id = ? AND uid >= ?"
                + " ORDER BY uid LIMIT ?) AS after")) {
            s.setLong(1, id);
            s.setLong(2, uid);
            s.setInt(3, half);
            try (var rows = s.executeQuery()) {
                rows.next();
                long from = rows.getLong(1);
                if (from < half) {
                    return (int) (count - from);
                }
            }
        }
        try (var s = database.prepare(c, "SELECT count(*) FROM messages WHERE mailbox_id = ? AND uid < ?")) {
            s.setLong(1, id);
            s.setLong(2, uid);
            try (var rows = s.executeQuery()) {
                rows.next();
                return (int) rows.getLong(1);
            }
        }
    }

    /**
     * Counts the summary again from the messages, under the mailbox row's lock (which every writer takes first, so no
     * write is half done meanwhile), and marks it kept up to the row's HIGHESTMODSEQ.
     */
    private void countAgain() throws IOException {
        LOG.log(System.Logger.Level.WARNING, "mailbox {0} (id {1}): its summary was not kept by every write; counting"
                + " its messages again", name, id);
        database.transaction(c -> {
            try (var s = database.prepare(c, "SELECT 1 FROM mailboxes WHERE id = ? FOR UPDATE")) {
                s.setLong(1, id);
                s.executeQuery().close();
            }
            update(c, "UPDATE mailboxes b SET message_count = c.messages, unseen_count = c.unseen, total_virtual_size"
                    + " = c.bytes, summary_modseq = b.highest_modseq FROM (SELECT count(*) AS messages, count(*) FILTER"
                    + " (WHERE flags & 1 = 0) AS unseen, coalesce(sum(virtual_size), 0) AS bytes FROM messages"
                    + " WHERE mailbox_id = ?) AS c WHERE b.id = ?", id, id);
            update(c, "DELETE FROM mailbox_keywords WHERE mailbox_id = ?", id);
            update(c, "INSERT INTO mailbox_keywords (mailbox_id, keyword, messages) SELECT mailbox_id, keyword,"
                    + " count(*) FROM messages, unnest(keywords) AS keyword WHERE mailbox_id = ? GROUP BY 1, 2", id);
            return null;
        });
    }

    private void update(Connection c, String sql, long... parameters) throws SQLException {
        try (var s = database.prepare(c, sql)) {
            for (int i = 0; i < parameters.length; i++) {
                s.setLong(i + 1, parameters[i]);
            }
            s.executeUpdate();
        }
    }

    /** The rows whose MODSEQ is above {@code modseq} and the UIDs expunged since, in one snapshot. */
    @Override
    public UidSet changesSince(long modseq, ScanConsumer changed) throws IOException {
        return database.snapshot(c -> {
            var row = row(c);
            if (modseq < row.expungedExactFrom()) {
                return null;
            }
            changed.expect(0);
            CopiedMessages.copy(c, CopiedMessages.select("mailbox_id = " + id + " AND modseq > " + modseq), changed);
            return expungedRanges(c, modseq);
        });
    }

    private MailboxNotFoundException gone() {
        return new MailboxNotFoundException("mailbox was deleted: " + name);
    }

    /**
     * The UIDs expunged after {@code modseq}, as ranges made in the query; null when the record was trimmed past
     * {@code modseq} ({@link ExpungedTrimmer}). One snapshot, so that a trim in between cannot pass for complete.
     */
    @Override
    public UidSet expungedAfter(long modseq) throws IOException {
        return database.snapshot(c -> {
            try (var s = database.prepare(c, "SELECT expunged_exact_from FROM mailboxes WHERE id = ?")) {
                s.setLong(1, id);
                try (var rows = s.executeQuery()) {
                    if (!rows.next()) {
                        throw gone();
                    }
                    if (modseq < rows.getLong(1)) {
                        return null;
                    }
                }
            }
            return expungedRanges(c, modseq);
        });
    }

    private UidSet expungedRanges(Connection c, long modseq) throws SQLException {
        try (var s = database.prepare(c, "SELECT min(uid), max(uid) FROM (SELECT uid, uid - row_number() OVER"
                + " (ORDER BY uid) AS run FROM expunged WHERE mailbox_id = ? AND modseq > ?) AS gone"
                + " GROUP BY run ORDER BY 1")) {
            s.setFetchSize(FETCH_SIZE);
            s.setLong(1, id);
            s.setLong(2, modseq);
            var pairs = LongStream.builder();
            try (var rows = s.executeQuery()) {
                while (rows.next()) {
                    pairs.add(rows.getLong(1));
                    pairs.add(rows.getLong(2));
                }
            }
            return UidSet.ofRanges(pairs.build().toArray());
        }
    }

    /** UIDNEXT and HIGHESTMODSEQ of the row: one indexed read per command. */
    @Override
    public ChangeToken changeToken() throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT uid_next, highest_modseq FROM mailboxes WHERE id = ?")) {
                s.setLong(1, id);
                try (var rows = s.executeQuery()) {
                    return rows.next() ? token(rows.getLong(1), rows.getLong(2)) : token(-1, -1);
                }
            }
        });
    }

    private ChangeToken token(long uidNext, long highestModseq) {
        return new ChangeToken(uidNext, highestModseq, id, true);
    }

    @Override
    public boolean stampsWrites() {
        return true;
    }

    @Override
    public WriteStamps lastWrite() {
        return lastWrite;
    }

    /** Other replicas' commits, as the change feed hears of them. */
    @Override
    public Runnable watchChanges(Runnable onChange) {
        return changes.watch(id, onChange);
    }

    @Override
    public InputStream open(StoredMessage message) throws IOException {
        return bodies.open(bodyKey(message), message.physicalSize());
    }

    /** The body stays readable: it is collected only after the grace, counted from the expunge at the earliest. */
    @Override
    public HeldMessage hold(StoredMessage message) throws IOException {
        var key = bodyKey(message);
        return new HeldMessage() {
            @Override
            public InputStream open() throws IOException {
                return bodies.open(key, message.physicalSize());
            }

            @Override
            public StoredMessage stated() {
                return message;
            }

            @Override
            public void close() {
                // the collector's grace keeps the body
            }
        };
    }

    /**
     * The body of a UID never changes (UIDs are not reused), so a bounded cache spares FETCHes a round trip; a miss
     * reads the keys of the next {@value #BODY_KEYS_READ} UIDs at once, so a FETCH over a range (a replica's first
     * FETCH 1:*, a client syncing) costs one read per {@value #BODY_KEYS_READ} messages, not one per message. An
     * expunge here forgets its UIDs; one by another replica is the index's to hide, and its body stays readable for
     * the collector's grace, as RFC 2180 §4.1.1 would have it.
     */
    private String bodyKey(StoredMessage message) throws IOException {
        var cached = bodyKeys.getIfPresent(message.uid());
        if (cached != null) {
            return cached;
        }
        var key = database.read(c -> {
            try (var s = database.prepare(c, "SELECT uid, body_key FROM messages WHERE mailbox_id = ? AND uid >= ?"
                    + " ORDER BY uid LIMIT " + BODY_KEYS_READ)) {
                s.setLong(1, id);
                s.setLong(2, message.uid());
                String wanted = null;
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        bodyKeys.put(rows.getLong(1), rows.getString(2));
                        wanted = rows.getLong(1) == message.uid() ? rows.getString(2) : wanted;
                    }
                }
                return wanted;
            }
        });
        if (key == null) {
            throw new MessageNotFoundException("message " + message.uid() + " is gone from " + name);
        }
        return key;
    }

    /**
     * The row's {@code save_date} (RFC 8514: set when an APPEND, a delivery, a COPY or a MOVE commits it here, kept
     * while it stays), which never changes, so a bounded cache keeps it; a miss reads the next
     * {@value #SAVE_DATES_READ} UIDs' at once. Null for a message gone meanwhile: its save date is unknown (NIL).
     */
    @Override
    public Instant saveDate(StoredMessage message) throws IOException {
        var cached = saveDates.getIfPresent(message.uid());
        if (cached != null) {
            return cached;
        }
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT uid, save_date FROM messages WHERE mailbox_id = ? AND uid >= ?"
                    + " ORDER BY uid LIMIT " + SAVE_DATES_READ)) {
                s.setLong(1, id);
                s.setLong(2, message.uid());
                Instant wanted = null;
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        var saved = rows.getTimestamp(2).toInstant();
                        saveDates.put(rows.getLong(1), saved);
                        wanted = rows.getLong(1) == message.uid() ? saved : wanted;
                    }
                }
                return wanted;
            }
        });
    }

    /**
     * The kept structures among this message and the next {@value #STRUCTURES_READ} (one window of the primary key,
     * so a mailbox with few kept costs no long scan): a cold replica's FETCH ENVELOPE 1:* reads them in pages.
     */
    @Override
    public Map<Long, KeptStructure> keptStructures(StoredMessage message) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT m.uid, s.detail, s.data FROM (SELECT uid, body_key FROM messages"
                    + " WHERE mailbox_id = ? AND uid >= ? ORDER BY uid LIMIT " + STRUCTURES_READ + ") AS m"
                    + " JOIN structures s ON s.body_key = m.body_key")) {
                s.setLong(1, id);
                s.setLong(2, message.uid());
                var kept = new HashMap<Long, KeptStructure>();
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        kept.put(rows.getLong(1), new KeptStructure(rows.getInt(2), rows.getBytes(3)));
                    }
                }
                return kept;
            }
        });
    }

    /** By the message's body: every copy of it, in any mailbox, shares the one kept. */
    @Override
    public void keepStructure(StoredMessage message, KeptStructure structure) throws IOException {
        database.read(c -> {
            try (var s = database.prepare(c, "INSERT INTO structures (body_key, detail, data) SELECT body_key, ?, ?"
                    + " FROM messages WHERE mailbox_id = ? AND uid = ? ON CONFLICT (body_key) DO UPDATE"
                    + " SET detail = EXCLUDED.detail, data = EXCLUDED.data WHERE structures.detail <= EXCLUDED.detail")) {
                s.setInt(1, structure.detail());
                s.setBytes(2, structure.encoded());
                s.setLong(3, id);
                s.setLong(4, message.uid());
                return s.executeUpdate();
            }
        });
    }

    @Override
    public PreparedMessage prepare(InputStream data, Instant internalDate) throws IOException {
        return bodies.upload(data, internalDate);
    }

    /** Within the store: the body is shared (no bytes move); from another store: the bytes are uploaded. */
    @Override
    public PreparedMessage prepareCopy(MailboxStore source, StoredMessage message) throws IOException {
        if (source instanceof PostgresMailbox mailbox && mailbox.database == database) {
            return new Prepared.Copied(mailbox.id, message.uid(), message.physicalSize(),
                    message.virtualSize(), message.internalDate());
        }
        var stated = source.stat(message);
        try (var in = source.open(stated)) {
            return prepare(in, stated.internalDate());
        }
    }

    @Override
    public List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException {
        for (var addition : additions) {
            checkKeywords(addition.keywords());
        }
        if (additions.isEmpty()) {
            return List.of();
        }
        lastWrite = null;
        var stamps = new WriteStamps[1];
        var committed = database.transaction(c -> {
            bodies.renew(c, uploadedKeys(additions));
            var allocated = allocate(c, additions.size());
            stamps[0] = allocated.stamps();
            var messages = new ArrayList<StoredMessage>(additions.size());
            long uid = allocated.firstUid();
            for (var addition : additions) {
                messages.add(insert(c, uid++, addition, allocated.modseq()));
            }
            return messages;
        });
        written(stamps[0]);
        nextUid = committed.getLast().uid() + 1;
        for (int i = 0; i < additions.size(); i++) {
            if (additions.get(i).message() instanceof Prepared.Uploaded u) {
                bodyKeys.put(committed.get(i).uid(), u.key());
            }
        }
        return committed;
    }

    private static List<String> uploadedKeys(List<PreparedMessage.Addition> additions) {
        return additions.stream().map(PreparedMessage.Addition::message)
                .flatMap(m -> m instanceof Prepared.Uploaded u ? Stream.of(u.key()) : Stream.empty()).toList();
    }

    /**
     * One transaction: the mailbox row adopts the UIDs' origin, then the rows go in with their save dates (no index
     * write: no stamps).
     */
    @Override
    public void commitUnder(long uidValidity, long uidNext, long[] uids, List<Instant> saveDates,
            List<PreparedMessage.Addition> additions) throws IOException {
        for (var addition : additions) {
            checkKeywords(addition.keywords());
        }
        lastWrite = null;
        database.transaction(c -> {
            long modseq = adoptUids(c, uidValidity, uidNext);
            bodies.renew(c, uploadedKeys(additions));
            for (int i = 0; i < uids.length; i++) {
                insert(c, uids[i], additions.get(i), modseq);
            }
            keepSaveDates(c, uids, saveDates);
            return null;
        });
    }

    /** The rows just inserted take the save dates given (those given as null keep the commit's time). */
    private void keepSaveDates(Connection c, long[] uids, List<Instant> saveDates) throws SQLException {
        try (var s = database.prepare(c, "UPDATE messages SET save_date = ? WHERE mailbox_id = ? AND uid = ?")) {
            for (int i = 0; i < uids.length; i++) {
                if (saveDates.get(i) != null) {
                    s.setTimestamp(1, Timestamp.from(saveDates.get(i)));
                    s.setLong(2, id);
                    s.setLong(3, uids[i]);
                    s.addBatch();
                }
            }
            s.executeBatch();
        }
    }

    private long adoptUids(Connection c, long uidValidity, long uidNext) throws SQLException, IOException {
        try (var s = database.prepare(c, "UPDATE mailboxes SET uid_validity = ?, uid_next = GREATEST(uid_next, ?),"
                + " highest_modseq = highest_modseq + 1, " + CARRY_SUMMARY + " WHERE id = ? AND (uid_validity = ? OR NOT EXISTS"
                + " (SELECT 1 FROM messages WHERE mailbox_id = ?)) RETURNING highest_modseq")) {
            s.setLong(1, uidValidity);
            s.setLong(2, uidNext);
            s.setLong(3, id);
            s.setLong(4, uidValidity);
            s.setLong(5, id);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw new StorageException("mailbox " + name + " is gone or holds messages under another"
                            + " UIDVALIDITY than " + uidValidity);
                }
                return rows.getLong(1);
            }
        }
    }

    /** Raises the row's HIGHESTMODSEQ and the MODSEQ from which its expunge record is exact to {@code floor}. */
    @Override
    public void raiseModseqs(long floor) throws IOException {
        lastWrite = null;
        database.transaction(c -> {
            try (var s = database.prepare(c, "UPDATE mailboxes SET highest_modseq = GREATEST(highest_modseq, ?),"
                    + " expunged_exact_from = GREATEST(expunged_exact_from, ?), summary_modseq = CASE WHEN summary_modseq"
                    + " = highest_modseq THEN GREATEST(highest_modseq, ?) ELSE summary_modseq END WHERE id = ?")) {
                s.setLong(1, floor);
                s.setLong(2, floor);
                s.setLong(3, floor);
                s.setLong(4, id);
                if (s.executeUpdate() != 1) {
                    throw gone();
                }
            }
            return null;
        });
    }

    /** Every commit of a transaction is all or none across a crash: PostgreSQL's commit is the journal. */
    @Override
    public List<StoredMessage> commitTogether(List<PreparedMessage.Addition> additions) throws IOException {
        return commit(additions);
    }

    private record Allocation(long firstUid, long modseq, WriteStamps stamps) {}

    private Allocation allocate(Connection c, int count) throws SQLException, IOException {
        try (var s = database.prepare(c, "UPDATE mailboxes SET uid_next = uid_next + ?, highest_modseq ="
                + " highest_modseq + 1, " + CARRY_SUMMARY + " WHERE id = ? RETURNING uid_next - ?, highest_modseq")) {
            s.setLong(1, count);
            s.setLong(2, id);
            s.setLong(3, count);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw gone();
                }
                long firstUid = rows.getLong(1);
                long modseq = rows.getLong(2);
                var allocation = new Allocation(firstUid, modseq, new WriteStamps(token(firstUid, modseq - 1),
                        token(firstUid + count, modseq), modseq));
                if (allocation.firstUid() + count - 1 > MAX_UID) {
                    throw new IOException("mailbox " + name + " has used up its UIDs");
                }
                return allocation;
            }
        } catch (SQLException e) {
            if ("23514".equals(e.getSQLState())) { // the CHECK on uid_next
                throw new IOException("mailbox " + name + " has used up its UIDs", e);
            }
            throw e;
        }
    }

    private StoredMessage insert(Connection c, long uid, PreparedMessage.Addition addition, long modseq)
            throws SQLException, IOException {
        int flags = SystemFlag.bitsOf(addition.flags());
        var keywords = c.createArrayOf("text", addition.keywords().toArray());
        var prepared = (Prepared) addition.message();
        var inserted = switch (prepared) {
            case Prepared.Uploaded u -> insertUploaded(c, uid, u, flags, keywords, modseq);
            case Prepared.Copied copy -> insertCopy(c, uid, copy, flags, keywords, modseq);
        };
        if (!inserted) {
            throw new MessageNotFoundException("the message to copy is gone");
        }
        return new StoredMessage(uid, Long.toString(uid), addition.flags(), addition.keywords(),
                prepared.internalDate(), prepared.size(), prepared.virtualSize());
    }

    private boolean insertUploaded(Connection c, long uid, Prepared.Uploaded u, int flags, Array keywords, long modseq)
            throws SQLException {
        try (var s = database.prepare(c, "INSERT INTO messages (mailbox_id, uid, body_key, flags, keywords, modseq,"
                + " internal_date, physical_size, virtual_size) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            s.setLong(1, id);
            s.setLong(2, uid);
            s.setString(3, u.key());
            s.setInt(4, flags);
            s.setArray(5, keywords);
            s.setLong(6, modseq);
            s.setTimestamp(7, Timestamp.from(u.internalDate()));
            s.setLong(8, u.size());
            s.setLong(9, u.virtualSize());
            return s.executeUpdate() == 1;
        }
    }

    private boolean insertCopy(Connection c, long uid, Prepared.Copied copy, int flags, Array keywords, long modseq)
            throws SQLException {
        try (var s = database.prepare(c, "INSERT INTO messages (mailbox_id, uid, body_key, flags, keywords, modseq,"
                + " internal_date, physical_size, virtual_size) SELECT ?, ?, body_key, ?, ?, ?, internal_date,"
                + " physical_size, virtual_size FROM messages WHERE mailbox_id = ? AND uid = ?")) {
            s.setLong(1, id);
            s.setLong(2, uid);
            s.setInt(3, flags);
            s.setArray(4, keywords);
            s.setLong(5, modseq);
            s.setLong(6, copy.mailboxId());
            s.setLong(7, copy.uid());
            return s.executeUpdate() == 1;
        }
    }

    private static void checkKeywords(Set<String> keywords) throws InvalidKeywordException {
        Keywords.check(keywords);
        if (keywords.size() > MAX_KEYWORDS) {
            throw new InvalidKeywordException("a message carries at most " + MAX_KEYWORDS + " keywords");
        }
    }

    /** Nothing to remove: a body no message refers to is the collector's, after the grace. */
    @Override
    public void discard(PreparedMessage prepared) {
    }

    @Override
    public StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException {
        var updated = setFlags(List.of(new FlagUpdate(message, flags, keywords)));
        if (updated.isEmpty()) {
            throw new MessageNotFoundException("message " + message.uid() + " is gone from " + name);
        }
        return updated.getFirst();
    }

    /** One transaction and one MODSEQ for all of them, whatever other servers changed before. */
    @Override
    public List<StoredMessage> setFlags(List<FlagUpdate> updates) throws IOException {
        return setFlags(updates, Long.MAX_VALUE);
    }

    /**
     * One transaction and one MODSEQ for all of them. The transaction first bumps the mailbox row, which every
     * writer of its messages does first, so from then on no other server changes them; when the row had moved past
     * {@code seenModseq}, one read tells whether it was one of these messages that changed, and if so nothing is
     * written.
     */
    @Override
    public List<StoredMessage> setFlags(List<FlagUpdate> updates, long seenModseq) throws IOException {
        for (var update : updates) {
            checkKeywords(update.keywords());
        }
        if (updates.isEmpty()) {
            return List.of();
        }
        return change((c, modseq) -> {
            if (modseq - 1 > seenModseq) {
                refuseIfChangedSince(c, updates, seenModseq);
            }
            try (var s = database.prepare(c, "UPDATE messages SET flags = ?, keywords = ?, modseq = ?"
                    + " WHERE mailbox_id = ? AND uid = ?")) {
                for (var update : updates) {
                    s.setInt(1, SystemFlag.bitsOf(update.flags()));
                    s.setArray(2, c.createArrayOf("text", update.keywords().toArray()));
                    s.setLong(3, modseq);
                    s.setLong(4, id);
                    s.setLong(5, update.message().uid());
                    s.addBatch();
                }
                var counts = s.executeBatch();
                var updated = new ArrayList<StoredMessage>(updates.size());
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] == 1) {
                        var m = updates.get(i).message();
                        updated.add(new StoredMessage(m.uid(), m.key(), updates.get(i).flags(),
                                updates.get(i).keywords(), m.internalDate(), m.physicalSize(), m.virtualSize()));
                    }
                }
                return updated;
            }
        });
    }

    private void refuseIfChangedSince(Connection c, List<FlagUpdate> updates, long seenModseq) throws SQLException,
            IOException {
        var uids = updates.stream().map(u -> u.message().uid()).toArray(Long[]::new);
        try (var s = database.prepare(c, "SELECT uid FROM messages WHERE mailbox_id = ? AND uid = ANY (?)"
                + " AND modseq > ? LIMIT 1")) {
            s.setLong(1, id);
            s.setArray(2, c.createArrayOf("bigint", uids));
            s.setLong(3, seenModseq);
            try (var rows = s.executeQuery()) {
                if (rows.next()) {
                    throw new ConcurrentChangeException("message " + rows.getLong(1) + " of " + name
                            + " changed on another server after MODSEQ " + seenModseq);
                }
            }
        }
    }

    /** The work of a transaction that changes messages under a new MODSEQ. */
    @FunctionalInterface
    private interface Change<T> {
        T run(Connection connection, long modseq) throws SQLException, IOException;
    }

    /** {@code work} in one transaction with the MODSEQ it bumped; its stamps are the last write's once committed. */
    private <T> T change(Change<T> work) throws IOException {
        lastWrite = null;
        var stamps = new WriteStamps[1];
        var result = database.transaction(c -> {
            stamps[0] = bumpModseq(c);
            return work.run(c, stamps[0].modseq());
        });
        written(stamps[0]);
        return result;
    }

    /** Once a write committed: its stamps are the last write's, its MODSEQ the mailbox's highest as last written. */
    private void written(WriteStamps stamps) {
        lastWrite = stamps;
        highestModseq = Math.max(highestModseq, stamps.modseq());
    }

    private WriteStamps bumpModseq(Connection c) throws SQLException, IOException {
        try (var s = database.prepare(c, "UPDATE mailboxes SET highest_modseq = highest_modseq + 1, " + CARRY_SUMMARY
                + " WHERE id = ? RETURNING uid_next, highest_modseq")) {
            s.setLong(1, id);
            try (var rows = s.executeQuery()) {
                if (!rows.next()) {
                    throw gone();
                }
                long uidNext = rows.getLong(1);
                long modseq = rows.getLong(2);
                return new WriteStamps(token(uidNext, modseq - 1), token(uidNext, modseq), modseq);
            }
        }
    }

    /** Deletes the rows and records the UIDs with the expunge's MODSEQ; the bodies go to the collector. */
    @Override
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        var uids = messages.stream().map(StoredMessage::uid).toArray(Long[]::new);
        bodyKeys.invalidateAll(List.of(uids));
        change((c, modseq) -> {
            try (var s = database.prepare(c, "WITH gone AS (DELETE FROM messages WHERE mailbox_id = ? AND uid = ANY (?)"
                    + " RETURNING uid) INSERT INTO expunged (mailbox_id, uid, modseq) SELECT ?, uid, ? FROM gone"
                    + " ON CONFLICT DO NOTHING")) {
                s.setLong(1, id);
                s.setArray(2, c.createArrayOf("bigint", uids));
                s.setLong(3, id);
                s.setLong(4, modseq);
                s.executeUpdate();
            }
            return null;
        });
    }
}
