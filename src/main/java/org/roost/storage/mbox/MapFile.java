package org.roost.storage.mbox;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.roost.mail.SystemFlag;

/**
 * What the driver knew of an mbox when it last changed its layout ({@code roost.mbox.map} in the
 * mailbox's index directory): where each message lies, its UID, flags and sizes, and the file's stamp
 * then. A restart starts from it instead of reading the whole file: when the file is as the map says
 * it is used as it is; otherwise it is the "before" of an ordinary sync, which checks every message's
 * separator line and bookkeeping block, reads what was appended, and reads the whole file only when
 * messages moved. So the map needs no rewrite after a flag change in place (the block's checksum tells),
 * only after messages moved or were added; it is never the only copy of anything (the mbox is), and a
 * damaged or missing one costs one reading of the file.
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

    /** The whole map, or null when it is missing or damaged. */
    static MboxContents read(Path file) throws IOException {
        var crc = new CRC32C();
        try (var checked = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16), crc);
             var in = new DataInputStream(checked)) {
            if (in.readLong() != MAGIC) {
                return null;
            }
            var stamp = stamp(in);
            var tokenStamp = stamp(in);
            long uidValidity = in.readLong();
            long nextUid = in.readLong();
            var keywords = strings(in);
            var base = in.readBoolean() ? new Metadata.Base(in.readLong(), in.readLong(), strings(in), in.readBoolean())
                    : null;
            var pseudo = in.readBoolean() ? found(in) : null;
            int count = in.readInt();
            if (count < 0 || count > 100_000_000) {
                return null;
            }
            var messages = new ArrayList<MboxMessage>(count);
            for (int i = 0; i < count; i++) {
                long uid = in.readLong();
                int bits = in.readUnsignedShort();
                long keywordMask = in.readLong();
                var flags = EnumSet.noneOf(SystemFlag.class);
                for (int f = 0; f < FLAGS.length; f++) {
                    if ((bits & (1 << f)) != 0) {
                        flags.add(FLAGS[f]);
                    }
                }
                var own = new java.util.HashSet<String>();
                for (int k = 0; k < keywords.size() && k < 64; k++) {
                    if ((keywordMask & (1L << k)) != 0) {
                        own.add(keywords.get(k));
                    }
                }
                messages.add(new MboxMessage(uid, found(in), flags, own, (bits & OLD) != 0, (bits & WRITTEN) != 0));
            }
            long expected = crc.getValue();
            if (in.readLong() != expected) {
                return null;
            }
            return new MboxContents(stamp, tokenStamp, uidValidity, nextUid, keywords, pseudo, messages, base);
        } catch (NoSuchFileException | EOFException | IllegalArgumentException damaged) {
            return null;
        }
    }

    private static final int OLD = 1 << 14;
    private static final int WRITTEN = 1 << 15;

    /** Writes the map whole (a new file renamed over the old one; not synced: it is only a cache). */
    static void write(Path file, MboxContents c) throws IOException {
        var temp = Files.createTempFile(file.getParent(), NAME, ".tmp");
        var crc = new CRC32C();
        try (var checked = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp), 1 << 16), crc);
             var out = new DataOutputStream(checked)) {
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
            for (var m : c.messages()) {
                out.writeLong(m.uid());
                int bits = (m.old() ? OLD : 0) | (m.uidWritten() ? WRITTEN : 0);
                for (var flag : m.flags()) {
                    bits |= 1 << flag.ordinal();
                }
                out.writeShort(bits);
                long mask = 0;
                for (int k = 0; k < c.keywords().size() && k < 64; k++) {
                    if (m.keywords().contains(c.keywords().get(k))) {
                        mask |= 1L << k;
                    }
                }
                out.writeLong(mask);
                found(out, m.found());
            }
            out.flush();
            out.writeLong(crc.getValue());
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void stamp(DataOutputStream out, FileStamp s) throws IOException {
        out.writeLong(s.size());
        out.writeLong(s.modifiedNanos());
        out.writeUTF(s.key());
    }

    private static FileStamp stamp(DataInputStream in) throws IOException {
        return new FileStamp(in.readLong(), in.readLong(), in.readUTF());
    }

    private static void strings(DataOutputStream out, List<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (var s : strings) {
            out.writeUTF(s);
        }
    }

    private static List<String> strings(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > Rewriter.MAX_KEYWORDS * 4) {
            throw new IllegalArgumentException("damaged map");
        }
        var out = new ArrayList<String>(n);
        for (int i = 0; i < n; i++) {
            out.add(in.readUTF());
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
    private static Scanner.Found found(DataInputStream in) throws IOException {
        long offset = in.readLong();
        int fromLength = in.readInt();
        long date = in.readLong();
        int fromCrc = in.readInt();
        long headerEnd = in.readLong();
        long bodyStart = in.readLong();
        long contentEnd = in.readLong();
        long end = in.readLong();
        long metaStart = in.readLong();
        long metaEnd = in.readLong();
        int metaCrc = in.readInt();
        long size = in.readLong();
        long virtualSize = in.readLong();
        var meta = new Metadata();
        meta.uid = in.readLong();
        meta.contentLength = in.readLong();
        if (offset < 0 || end < offset || fromLength < 0 || contentEnd > end) {
            throw new IllegalArgumentException("damaged map");
        }
        return new Scanner.Found(offset, fromLength, date, fromCrc, headerEnd, bodyStart, contentEnd, end, metaStart,
                metaEnd, metaCrc, meta, size, virtualSize);
    }
}
