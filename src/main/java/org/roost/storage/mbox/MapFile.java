package org.roost.storage.mbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.roost.mail.SystemFlag;

/**
 * What the driver knew of an mbox when it last changed its layout ({@code roost.mbox.map} in the
 * mailbox's index directory): where each message lies, its UID, flags and sizes, and the file's stamp
 * then. A restart starts from it instead of reading the whole file: when the file is as the map says
 * it is used as it is; otherwise it is the "before" of an ordinary sync, which checks every message's
 * separator line and bookkeeping block, reads what was appended, and reads the whole file only when
 * messages moved. A map older than the file would send a restart through a check of every message's
 * block, so it follows every change: after flag changes in place only the changed entries are written
 * over ({@link #patch}), after messages moved or were added it is written whole. It is never the only
 * copy of anything (the mbox is), and a damaged or missing one costs one reading of the file.
 */
final class MapFile {
    static final String NAME = "roost.mbox.map";
    private static final long MAGIC = 0x524d42584d415032L; // "RMBXMAP2"
    private static final SystemFlag[] FLAGS = SystemFlag.values();

    private MapFile() {
    }

    /** The stamps and figures of the map, read without its messages (what opening a mailbox needs). */
    record Head(FileStamp stamp, FileStamp tokenStamp, long uidValidity, long nextUid) {
    }

    static Head head(Path file) throws IOException {
        try (var in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 512))) {
            if (in.readLong() != MAGIC) {
                return null;
            }
            return new Head(stamp(in), stamp(in), in.readLong(), in.readLong());
        } catch (NoSuchFileException | EOFException e) {
            return null;
        }
    }

    /** The whole map, or null when it is missing or damaged (read in one piece and parsed in place). */
    static MboxContents read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (bytes.length < 16) {
            return null;
        }
        var crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - 8);
        var in = ByteBuffer.wrap(bytes);
        if (in.getLong(bytes.length - 8) != crc.getValue() || in.getLong() != MAGIC) {
            return null;
        }
        try {
            var top = top(in, bytes.length);
            if (top == null) {
                return null;
            }
            var flagSets = new HashMap<Integer, Set<SystemFlag>>();
            var keywordSets = new HashMap<Long, Set<String>>();
            var messages = new ArrayList<MboxMessage>(top.count());
            for (int i = 0; i < top.count(); i++) {
                long uid = in.getLong();
                int bits = in.getShort() & 0xffff;
                long mask = in.getLong();
                var flags = flagSets.computeIfAbsent(bits & FLAG_BITS, MapFile::flags);
                var own = keywordSets.computeIfAbsent(mask, m -> keywords(m, top.keywords()));
                messages.add(new MboxMessage(uid, found(in), flags, own, (bits & OLD) != 0, (bits & WRITTEN) != 0));
            }
            return new MboxContents(top.stamp(), top.tokenStamp(), top.uidValidity(), top.nextUid(), top.keywords(),
                    top.pseudo(), messages, top.base());
        } catch (BufferUnderflowException | IllegalArgumentException damaged) {
            return null;
        }
    }

    /** What comes before the messages; {@code in} is left at the first message. */
    private record Top(FileStamp stamp, FileStamp tokenStamp, long uidValidity, long nextUid, List<String> keywords,
                       Metadata.Base base, Scanner.Found pseudo, int count) {
    }

    /** The part before the messages, or null when the count cannot be right for a file of {@code length} bytes. */
    private static Top top(ByteBuffer in, long length) {
        var stamp = stamp(in);
        var tokenStamp = stamp(in);
        long uidValidity = in.getLong();
        long nextUid = in.getLong();
        var keywords = strings(in);
        var base = in.get() != 0 ? new Metadata.Base(in.getLong(), in.getLong(), strings(in), in.get() != 0) : null;
        var pseudo = in.get() != 0 ? found(in) : null;
        int count = in.getInt();
        if (count < 0 || count > length / 64) {
            return null;
        }
        return new Top(stamp, tokenStamp, uidValidity, nextUid, keywords, base, pseudo, count);
    }

    /** One message's entry: UID, flag bits, keyword mask, then its place ({@link #found(DataOutputStream, Scanner.Found)}). */
    private static final int ENTRY = 8 + 2 + 8 + 8 + 4 + 8 + 4 + 6 * 8 + 4 + 4 * 8;

    /**
     * The map's messages looked up one at a time in the mapped file, without reading the rest: what a
     * read needs after a restart while the file is as the map says (the pages of a binary search, not
     * 126 bytes for each of a million messages). The map's checksum is not checked here: the caller
     * checks each message's separator line in the mbox before trusting its place. {@code stamp} is the
     * mbox's when the map was written.
     */
    record Entries(FileStamp stamp, ByteBuffer mapped, int first, int count) {
        /** Where the message with this UID lies, or null when the map does not have it. */
        Scanner.Found find(long uid) {
            int i = MboxContents.search(count, k -> mapped.getLong(first + k * ENTRY), uid);
            try {
                return i < 0 ? null : found(mapped.duplicate().position(first + i * ENTRY + 18));
            } catch (BufferUnderflowException | IllegalArgumentException damaged) {
                return null;
            }
        }
    }

    /** The map's messages for lookups ({@link Entries}), or null when it is missing or not as long as it says. */
    static Entries entries(Path file) throws IOException {
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 16 || size > Integer.MAX_VALUE) {
                return null;
            }
            var mapped = channel.map(FileChannel.MapMode.READ_ONLY, 0, size);
            if (mapped.getLong() != MAGIC) {
                return null;
            }
            var top = top(mapped, size);
            if (top == null || mapped.position() + (long) top.count() * ENTRY + 8 != size) {
                return null;
            }
            return new Entries(top.stamp(), mapped, mapped.position(), top.count());
        } catch (NoSuchFileException e) {
            return null;
        } catch (BufferUnderflowException | IllegalArgumentException damaged) {
            return null;
        }
    }

    private static final int FLAG_BITS = (1 << FLAGS.length) - 1;

    private static Set<SystemFlag> flags(int bits) {
        var flags = EnumSet.noneOf(SystemFlag.class);
        for (int f = 0; f < FLAGS.length; f++) {
            if ((bits & (1 << f)) != 0) {
                flags.add(FLAGS[f]);
            }
        }
        return Set.copyOf(flags);
    }

    private static Set<String> keywords(long mask, List<String> keywords) {
        var own = new HashSet<String>();
        for (int k = 0; k < keywords.size() && k < 64; k++) {
            if ((mask & (1L << k)) != 0) {
                own.add(keywords.get(k));
            }
        }
        return Set.copyOf(own);
    }

    private static final int OLD = 1 << 14;
    private static final int WRITTEN = 1 << 15;

    /** Writes the map whole (a new file renamed over the old one; not synced: it is only a cache). */
    static void write(Path file, MboxContents c) throws IOException {
        var temp = Files.createTempFile(file.getParent(), NAME, ".tmp");
        var crc = new CRC32C();
        try (var checked = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), crc);
             var out = new DataOutputStream(checked)) {
            out.write(top(c));
            for (var m : c.messages()) {
                entry(out, m, c.keywords());
            }
            out.flush();
            out.writeLong(crc.getValue());
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Brings the map written for {@code written} up to {@code now} by writing over it only the entries of the
     * messages that changed, the part before them and the checksum: after flag changes in place, whose entries
     * keep their size and place. False, with nothing written, when that is not so (messages added or moved,
     * the part before them changed length, more than an eighth of the entries changed, or the file is not
     * as long as such a map): the caller writes the map whole. Not synced, as {@link #write}: a crash
     * in the middle leaves a checksum that does not match, which costs one reading of the mbox.
     */
    static boolean patch(Path file, MboxContents written, MboxContents now) throws IOException {
        var changed = now.messages().differences(written.messages(), Math.max(1, now.messages().size() / 8));
        var top = top(now);
        if (changed == null || top.length != top(written).length) {
            return false;
        }
        long size = top.length + (long) now.messages().size() * ENTRY + 8;
        try (var channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (channel.size() != size || size > Integer.MAX_VALUE) {
                return false;
            }
            var entry = new ByteArrayOutputStream(ENTRY);
            var out = new DataOutputStream(entry);
            for (int i : changed) {
                entry.reset();
                entry(out, now.messages().get(i), now.keywords());
                Rewriter.writeFully(channel, ByteBuffer.wrap(entry.toByteArray()), top.length + (long) i * ENTRY);
            }
            Rewriter.writeFully(channel, ByteBuffer.wrap(top), 0);
            var crc = new CRC32C();
            crc.update(channel.map(FileChannel.MapMode.READ_ONLY, 0, size - 8));
            Rewriter.writeFully(channel, ByteBuffer.allocate(8).putLong(0, crc.getValue()), size - 8);
        } catch (NoSuchFileException gone) {
            return false;
        }
        return true;
    }

    /** The part of the map before the messages' entries, from its magic number to the count of messages. */
    private static byte[] top(MboxContents c) throws IOException {
        var bytes = new ByteArrayOutputStream();
        var out = new DataOutputStream(bytes);
        out.writeLong(MAGIC);
        stamp(out, c.stamp());
        stamp(out, c.tokenStamp());
        out.writeLong(c.uidValidity());
        out.writeLong(c.nextUid());
        strings(out, c.keywords());
        var base = c.fileBase();
        out.writeBoolean(base != null);
        if (base != null) {
            out.writeLong(base.uidValidity());
            out.writeLong(base.lastUid());
            strings(out, base.keywords());
            out.writeBoolean(base.pseudo());
        }
        out.writeBoolean(c.pseudo() != null);
        if (c.pseudo() != null) {
            found(out, c.pseudo());
        }
        out.writeInt(c.messages().size());
        return bytes.toByteArray();
    }

    /** One message's entry, {@link #ENTRY} bytes. */
    private static void entry(DataOutputStream out, MboxMessage m, List<String> keywords) throws IOException {
        out.writeLong(m.uid());
        int bits = (m.old() ? OLD : 0) | (m.uidWritten() ? WRITTEN : 0);
        for (var flag : m.flags()) {
            bits |= 1 << flag.ordinal();
        }
        out.writeShort(bits);
        long mask = 0;
        for (int k = 0; k < keywords.size() && k < 64; k++) {
            if (m.keywords().contains(keywords.get(k))) {
                mask |= 1L << k;
            }
        }
        out.writeLong(mask);
        found(out, m.found());
    }

    private static void stamp(DataOutputStream out, FileStamp s) throws IOException {
        out.writeLong(s.size());
        out.writeLong(s.modifiedNanos());
        out.writeUTF(s.key());
    }

    private static FileStamp stamp(DataInputStream in) throws IOException {
        return new FileStamp(in.readLong(), in.readLong(), in.readUTF());
    }

    private static FileStamp stamp(ByteBuffer in) {
        return new FileStamp(in.getLong(), in.getLong(), utf(in));
    }

    /** A string as {@link DataOutputStream#writeUTF} wrote it (two bytes of length; the names here are ASCII). */
    private static String utf(ByteBuffer in) {
        int length = in.getShort() & 0xffff;
        var bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static void strings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (var s : strings) {
            out.writeUTF(s);
        }
    }

    private static List<String> strings(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > Rewriter.MAX_KEYWORDS * 4) {
            throw new IllegalArgumentException("damaged map");
        }
        var out = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            out.add(utf(in));
        }
        return out;
    }

    private static void found(DataOutputStream out, Scanner.Found f) throws IOException {
        out.writeLong(f.offset());
        out.writeInt(f.fromLength());
        out.writeLong(f.date());
        out.writeInt(f.fromCrc());
        out.writeLong(f.headerEnd());
        out.writeLong(f.bodyStart());
        out.writeLong(f.contentEnd());
        out.writeLong(f.end());
        out.writeLong(f.metaStart());
        out.writeLong(f.metaEnd());
        out.writeInt(f.metaCrc());
        out.writeLong(f.size());
        out.writeLong(f.virtualSize());
        out.writeLong(f.meta().uid);
        out.writeLong(f.meta().contentLength);
    }

    /** A message's place, with the two bookkeeping values later work looks at (X-UID and Content-Length). */
    private static Scanner.Found found(ByteBuffer in) {
        long offset = in.getLong();
        int fromLength = in.getInt();
        long date = in.getLong();
        int fromCrc = in.getInt();
        long headerEnd = in.getLong();
        long bodyStart = in.getLong();
        long contentEnd = in.getLong();
        long end = in.getLong();
        long metaStart = in.getLong();
        long metaEnd = in.getLong();
        int metaCrc = in.getInt();
        long size = in.getLong();
        long virtualSize = in.getLong();
        var meta = new Metadata();
        meta.uid = in.getLong();
        meta.contentLength = in.getLong();
        if (offset < 0 || end < offset || fromLength < 0 || contentEnd > end) {
            throw new IllegalArgumentException("damaged map");
        }
        return new Scanner.Found(offset, fromLength, date, fromCrc, headerEnd, bodyStart, contentEnd, end, metaStart,
                metaEnd, metaCrc, meta, size, virtualSize);
    }
}
