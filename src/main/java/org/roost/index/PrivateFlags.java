package org.roost.index;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * One user's private flags of a mailbox they see in another user's or the public namespace (Dovecot's
 * {@code INDEXPVT}): the flags of {@link #mask()} (by default {@code \Seen}) are this user's own there, kept in a
 * file of their own mail ({@code roost-private/*.pvt}); the other flags are the mailbox's, shared by every user.
 * One object per user and mailbox, shared by that user's sessions on it (through the mailbox's
 * {@link MailboxState}), changed under the state's lock, read through immutable {@link Rows}.
 *
 * <p>The file is an append-only log, rewritten whole when it holds more than twice its live entries:
 * <pre>
 * header (32 bytes): magic "ROPF", version, UIDVALIDITY, mask, 12 reserved, CRC-32C of bytes 0..27
 * record (32 bytes): u32 type, u64 uid, u64 flag bits, u64 modseq, CRC-32C of bytes 0..27
 *   1 set (the message's private flags are the bits, changed at the modseq)   2 gone (expunged)
 * </pre>
 * It is never trusted: a damaged header or another UIDVALIDITY starts afresh (every message unseen for the user,
 * as for one who never looked), a damaged or torn record ends the reading (what came before stands), bits outside
 * the mask and UIDs the mailbox does not hold are dropped (so the heap holds no more than the mailbox's messages,
 * however long the file), and whatever was dropped is written back clean.
 */
public final class PrivateFlags {
    /** No private flags: every flag is the mailbox's (the owner's own view, or private flags switched off). */
    public static final PrivateFlags NONE = new PrivateFlags(null, false, 0, 0, () -> { });
    /** The directory of a user's private flag files, in the place their store keeps its own files. */
    static final String DIRECTORY = "roost-private";
    static final int MAGIC = 0x524f5046; // "ROPF"
    static final int VERSION = 1;
    static final int SIZE = 32;
    static final int SET = 1;
    static final int GONE = 2;
    /** Records beyond twice the live entries tolerated before the file is rewritten. */
    private static final int SLACK = 1024;
    private static final System.Logger LOG = System.getLogger(PrivateFlags.class.getName());

    private final Path file;
    private final boolean fsync;
    private final int mask;
    private final long uidValidity;
    private final Runnable announce;
    private FileChannel channel;
    /** Records in the file (header excluded). */
    private long records;
    private volatile Rows current = Rows.EMPTY;

    private PrivateFlags(Path file, boolean fsync, int mask, long uidValidity, Runnable announce) {
        this.file = file;
        this.announce = announce;
        this.fsync = fsync;
        this.mask = mask;
        this.uidValidity = uidValidity;
    }

    /**
     * The private flags kept in {@code file} for the messages of {@code table} (of a mailbox whose UIDVALIDITY is
     * {@code uidValidity}); the file is made (or made again, clean) when it is absent or was not as it should be.
     */
    static PrivateFlags open(Path file, boolean fsync, int mask, long uidValidity, MessageTable table,
            Runnable announce) throws IOException {
        var flags = new PrivateFlags(file, fsync, mask, uidValidity, announce);
        if (!flags.read(table)) {
            flags.rewrite();
        } else {
            flags.channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        return flags;
    }

    /** The system flag bits ({@code 1 << flag.ordinal()}) that are private; 0 for {@link #NONE}. */
    public int mask() {
        return mask;
    }

    /** Whether there are private flags at all. */
    public boolean any() {
        return mask != 0;
    }

    Rows current() {
        return current;
    }

    long uidValidity() {
        return uidValidity;
    }

    /**
     * The file, in a user's {@link #DIRECTORY}, of what they keep of their own (private flags: {@code .pvt}, private
     * annotations: {@code .metadata}) on mailbox {@code id} of the mail {@code where}.
     */
    static String fileName(String where, String id, String suffix) {
        try {
            var digest = MessageDigest.getInstance("SHA-256")
                    .digest((where + "\n" + id).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 20) + suffix;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }

    /** Tells the user's listeners (their NOTIFY) that their private flags changed. */
    void announce() {
        announce.run();
    }

    /** {@code shared} as the user sees it: the flags of {@code mask} are their own {@code privateBits}. */
    static StoredMessage seenAs(StoredMessage shared, int privateBits, int mask) {
        if (mask == 0) {
            return shared;
        }
        int bits = SystemFlag.bitsOf(shared.flags()) & ~mask | privateBits & mask;
        return new StoredMessage(shared.uid(), shared.key(), SystemFlag.setOf(bits), shared.keywords(),
                shared.internalDate(), shared.physicalSize(), shared.virtualSize());
    }

    /** Reads the file; false when it must be written anew (absent, damaged, too long, or holding what it should not). */
    private boolean read(MessageTable table) throws IOException {
        try (var in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            var record = new byte[SIZE];
            var fields = ByteBuffer.wrap(record);
            if (in.readNBytes(record, 0, SIZE) < SIZE || fields.getInt(0) != MAGIC || fields.getInt(4) != VERSION
                    || fields.getInt(28) != IndexFormat.crc(record, 0, 28) || fields.getLong(8) != uidValidity) {
                return false;
            }
            boolean clean = fields.getInt(16) == mask;
            // Only messages the mailbox holds are kept: the heap stays within its size, whatever the file's.
            var entries = new HashMap<Long, long[]>();
            records = 0;
            for (int got; (got = in.readNBytes(record, 0, SIZE)) > 0; records++) {
                if (got < SIZE || fields.getInt(28) != IndexFormat.crc(record, 0, 28)) {
                    clean = false; // torn or damaged: what came before stands
                    break;
                }
                long uid = fields.getLong(4);
                long bits = fields.getLong(12);
                switch (fields.getInt(0)) {
                    case SET -> {
                        clean &= (bits & ~mask) == 0;
                        if (table.indexOf(uid) >= 0) {
                            entries.put(uid, new long[] {bits & mask, Math.max(0, fields.getLong(20))});
                        } else {
                            clean = false; // expunged while the user had it closed (or never there)
                        }
                    }
                    case GONE -> entries.remove(uid);
                    default -> clean = false;
                }
            }
            current = keptOf(entries);
            return clean && records <= 2L * entries.size() + SLACK;
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    /** The entries as rows. */
    private static Rows keptOf(Map<Long, long[]> entries) {
        long[] uids = entries.keySet().stream().mapToLong(Long::longValue).sorted().toArray();
        var bits = new byte[uids.length];
        var modseqs = new long[uids.length];
        long highest = 0;
        for (int i = 0; i < uids.length; i++) {
            var entry = entries.get(uids[i]);
            bits[i] = (byte) entry[0];
            modseqs[i] = entry[1];
            highest = Math.max(highest, entry[1]);
        }
        return new Rows(uids, bits, modseqs, highest, 1);
    }

    /**
     * Sets the private flags of the messages {@code uids} (ascending) to {@code bits} (within the mask) at
     * {@code modseq}, durably before it shows them.
     */
    synchronized void set(long[] uids, int[] bits, long modseq) throws IOException {
        if (uids.length == 0) {
            return;
        }
        var out = ByteBuffer.allocate(SIZE * uids.length);
        for (int i = 0; i < uids.length; i++) {
            put(out, SET, uids[i], bits[i] & mask, modseq);
        }
        append(out.flip(), true);
        current = current.with(uids, bits, mask, modseq);
    }

    /** The messages {@code uids} (ascending) were expunged: their entries go. Not made durable on its own: a later open drops them too. */
    synchronized void expunged(long[] uids) {
        var before = current;
        var after = before.without(uids);
        if (after == before) {
            return;
        }
        current = after;
        if (file == null) {
            return;
        }
        var out = ByteBuffer.allocate(SIZE * (before.count() - after.count()));
        for (long uid : uids) {
            if (before.indexOf(uid) >= 0) {
                put(out, GONE, uid, 0, 0);
            }
        }
        try {
            append(out.flip(), false);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: expunged entries not written ({1}); the next open drops them",
                    file, e.getMessage());
        }
    }

    private void append(ByteBuffer out, boolean durable) throws IOException {
        if (file == null) {
            return;
        }
        if (records + out.remaining() / SIZE > 2L * current.count() + SLACK) {
            rewriteWith(out);
            return;
        }
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        }
        while (out.hasRemaining()) {
            channel.write(out);
        }
        records += out.limit() / SIZE;
        if (durable && fsync) {
            channel.force(false);
        }
    }

    /** Writes the live entries and then {@code pending} (the change being made) as a new file. */
    private void rewriteWith(ByteBuffer pending) throws IOException {
        var rows = current;
        var out = ByteBuffer.allocate(SIZE * (rows.count() + 1) + pending.remaining());
        header(out);
        for (int i = 0; i < rows.count(); i++) {
            put(out, SET, rows.uids[i], rows.bits[i], rows.modseqs[i]);
        }
        out.put(pending);
        replace(out.flip());
        records = rows.count() + (long) (out.limit() - SIZE * (rows.count() + 1)) / SIZE;
    }

    private void rewrite() throws IOException {
        rewriteWith(ByteBuffer.allocate(0));
    }

    private void header(ByteBuffer out) {
        out.putInt(MAGIC).putInt(VERSION).putLong(uidValidity).putInt(mask).putInt(0).putInt(0);
        out.putInt(IndexFormat.crc(out.array(), 0, 28));
    }

    private void replace(ByteBuffer content) throws IOException {
        close();
        Files.createDirectories(file.getParent());
        var temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (var tmp = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (content.hasRemaining()) {
                tmp.write(content);
            }
            if (fsync) {
                tmp.force(true);
            }
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static void put(ByteBuffer out, int type, long uid, long bits, long modseq) {
        int start = out.position();
        out.putInt(type).putLong(uid).putLong(bits).putLong(modseq);
        out.putInt(IndexFormat.crc(out.array(), start, 28));
    }

    /** Heap held by the entries, for the cache's budget. */
    long heapBytes() {
        return 17L * current.count();
    }

    synchronized void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // every record was complete when it was written
            }
            channel = null;
        }
    }

    /**
     * The private flags of a mailbox at one moment: per UID (ascending) the bits and the MODSEQ of their last
     * change, for the messages whose private flags were ever set; the others have none, at no MODSEQ.
     */
    static final class Rows {
        static final Rows EMPTY = new Rows(new long[0], new byte[0], new long[0], 0, 0);
        private final long[] uids;
        private final byte[] bits;
        private final long[] modseqs;
        private final long highestModseq;
        private final long version;

        private Rows(long[] uids, byte[] bits, long[] modseqs, long highestModseq, long version) {
            this.uids = uids;
            this.bits = bits;
            this.modseqs = modseqs;
            this.highestModseq = highestModseq;
            this.version = version;
        }

        int count() {
            return uids.length;
        }

        /** Changes with each {@link PrivateFlags#set} and expunge. */
        long version() {
            return version;
        }

        int indexOf(long uid) {
            return Arrays.binarySearch(uids, uid);
        }

        /** The private flag bits of message {@code uid}. */
        int bits(long uid) {
            int i = indexOf(uid);
            return i >= 0 ? bits[i] : 0;
        }

        /** The MODSEQ of the last change of message {@code uid}'s private flags; 0 when they never changed. */
        long modseq(long uid) {
            int i = indexOf(uid);
            return i >= 0 ? modseqs[i] : 0;
        }

        /** The highest MODSEQ of a private change kept (0 for none). */
        long highestModseq() {
            return highestModseq;
        }

        /** How many messages of {@code table} have every bit of {@code flag} set privately. */
        int countSet(int flag, MessageTable table) {
            int n = 0;
            for (int i = 0; i < uids.length; i++) {
                if ((bits[i] & flag) == flag && table.indexOf(uids[i]) >= 0) {
                    n++;
                }
            }
            return n;
        }

        private Rows with(long[] changed, int[] newBits, int mask, long modseq) {
            int capacity = uids.length + changed.length;
            var u = new long[capacity];
            var b = new byte[capacity];
            var m = new long[capacity];
            int n = 0;
            int i = 0;
            int j = 0;
            while (i < uids.length || j < changed.length) {
                long mine = i < uids.length ? uids[i] : Long.MAX_VALUE;
                long theirs = j < changed.length ? changed[j] : Long.MAX_VALUE;
                if (theirs <= mine) {
                    u[n] = theirs;
                    b[n] = (byte) (newBits[j] & mask);
                    m[n++] = modseq;
                    j++;
                    if (theirs == mine) {
                        i++;
                    }
                } else {
                    u[n] = mine;
                    b[n] = bits[i];
                    m[n++] = modseqs[i++];
                }
            }
            return new Rows(Arrays.copyOf(u, n), Arrays.copyOf(b, n), Arrays.copyOf(m, n),
                    Math.max(highestModseq, modseq), version + 1);
        }

        /** These rows without {@code gone} (ascending); this very object when none of them is here. */
        private Rows without(long[] gone) {
            var keep = new boolean[uids.length];
            Arrays.fill(keep, true);
            int dropped = 0;
            for (long uid : gone) {
                int i = indexOf(uid);
                if (i >= 0 && keep[i]) {
                    keep[i] = false;
                    dropped++;
                }
            }
            if (dropped == 0) {
                return this;
            }
            int n = uids.length - dropped;
            var u = new long[n];
            var b = new byte[n];
            var m = new long[n];
            for (int i = 0, k = 0; i < uids.length; i++) {
                if (keep[i]) {
                    u[k] = uids[i];
                    b[k] = bits[i];
                    m[k++] = modseqs[i];
                }
            }
            return new Rows(u, b, m, highestModseq, version + 1);
        }
    }
}
