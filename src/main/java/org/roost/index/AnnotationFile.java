package org.roost.index;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.zip.CRC32C;

/**
 * The annotations (RFC 5464 metadata) of one mailbox, or of one user's view of the server, in Roost's own
 * format: the line {@value #HEADER_LINE}, then per entry a line {@code <crc32c, 8 hex> SP <value octets> SP
 * <entry name>} followed by the value's octets and a line feed. The checksum covers the name, a NUL and the
 * value, so that any damage is found where it is. Entries keep the order they were first set in.
 *
 * <p>Written whole to a temporary file beside it, fsynced (with {@code mail.fsync}) and renamed into place, so a
 * reader sees the old entries or the new ones, never a mixture. A damaged file (written by another program,
 * cut short, flipped bits) is read as far as its entries are whole and their checksums hold; what follows is
 * dropped with a warning, and the next change writes a clean file. A file larger than a reader's bound is read
 * only up to it.
 */
final class AnnotationFile {
    /** The file of a mailbox's annotations, in the directory its store keeps with it. */
    static final String MAILBOX_FILE = "roost-metadata";
    /** The file of a user's server annotations. */
    static final String SERVER_FILE = "roost-server-metadata";
    private static final System.Logger LOG = System.getLogger(AnnotationFile.class.getName());
    private static final String HEADER_LINE = "roost-metadata 1";
    private static final byte[] HEADER = (HEADER_LINE + "\n").getBytes(StandardCharsets.US_ASCII);
    /** The longest entry line: checksum, a value length of up to 19 digits, a name of at most 64 KiB. */
    private static final int MAX_ENTRY_LINE = 8 + 1 + 19 + 1 + 65_536;
    /** A change is a read and a write: one at a time per file, across every session of the process. */
    private static final ReentrantLock[] STRIPES = new ReentrantLock[64];

    static {
        for (int i = 0; i < STRIPES.length; i++) {
            STRIPES[i] = new ReentrantLock();
        }
    }

    private AnnotationFile() {}

    /** The lock of the changes of {@code file}. */
    static ReentrantLock lockOf(Path file) {
        return STRIPES[Math.floorMod(file.toAbsolutePath().normalize().hashCode(), STRIPES.length)];
    }

    /** The entries of {@code file} (none when it does not exist), reading at most {@code maxBytes} of it. */
    static SequencedMap<String, byte[]> read(Path file, long maxBytes) throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 16));
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        var entries = new LinkedHashMap<String, byte[]>();
        int end = parse(bytes, entries);
        if (end != bytes.length || bytes.length == maxBytes) {
            LOG.log(Level.WARNING, "{0}: damaged or too large at byte {1}; {2} entries kept, the rest dropped",
                    file, end, entries.size());
        }
        return entries;
    }

    /** Reads entries into {@code entries}; returns where the whole, checked entries end. */
    private static int parse(byte[] bytes, SequencedMap<String, byte[]> entries) {
        if (!startsWith(bytes, HEADER)) {
            return 0;
        }
        int at = HEADER.length;
        while (at < bytes.length) {
            int lineEnd = indexOf(bytes, (byte) '\n', at, Math.min(bytes.length, at + MAX_ENTRY_LINE));
            if (lineEnd < 0) {
                return at;
            }
            var line = new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1);
            int space = line.indexOf(' ', 9);
            if (line.length() < 12 || line.charAt(8) != ' ' || space < 0) {
                return at;
            }
            long size;
            long crc;
            try {
                crc = Long.parseLong(line.substring(0, 8), 16);
                size = Long.parseLong(line.substring(9, space));
            } catch (NumberFormatException e) {
                return at;
            }
            var name = line.substring(space + 1);
            int valueStart = lineEnd + 1;
            if (size < 0 || size > bytes.length - valueStart - 1 || bytes[valueStart + (int) size] != '\n') {
                return at;
            }
            var value = Arrays.copyOfRange(bytes, valueStart, valueStart + (int) size);
            if (checksum(name, value) != crc || name.isEmpty()) {
                return at;
            }
            entries.put(name, value);
            at = valueStart + (int) size + 1;
        }
        return at;
    }

    /** Replaces {@code file} with {@code entries}, atomically; an empty set removes the file. */
    static void write(Path file, SequencedMap<String, byte[]> entries, boolean fsync) throws IOException {
        var directory = file.getParent();
        if (entries.isEmpty()) {
            if (Files.deleteIfExists(file) && fsync) {
                syncDirectory(directory);
            }
            return;
        }
        Files.createDirectories(directory);
        var out = new ByteArrayOutputStream();
        out.writeBytes(HEADER);
        var hex = HexFormat.of();
        for (var entry : entries.entrySet()) {
            var value = entry.getValue();
            var line = hex.toHexDigits((int) checksum(entry.getKey(), value)) + " " + value.length + " "
                    + entry.getKey() + "\n";
            out.writeBytes(line.getBytes(StandardCharsets.ISO_8859_1));
            out.writeBytes(value);
            out.write('\n');
        }
        var temp = directory.resolve(file.getFileName() + ".tmp");
        try (var channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var buffer = ByteBuffer.wrap(out.toByteArray());
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (fsync) {
                channel.force(true);
            }
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (fsync) {
            syncDirectory(directory);
        }
    }

    /** RFC 5464 §4.1: INBOX's annotations are copied to the mailbox its messages moved to. */
    static void copy(Path from, Path to, boolean fsync) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        var lock = lockOf(to); // the source is read whole: it is only ever replaced by rename
        lock.lock();
        try {
            Files.createDirectories(to.getParent());
            var temp = to.resolveSibling(to.getFileName() + ".tmp");
            Files.copy(from, temp, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                try (var channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    channel.force(true);
                }
            }
            Files.move(temp, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            if (fsync) {
                syncDirectory(to.getParent());
            }
        } finally {
            lock.unlock();
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (var channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    private static long checksum(String name, byte[] value) {
        var crc = new CRC32C();
        crc.update(name.getBytes(StandardCharsets.ISO_8859_1));
        crc.update(0);
        crc.update(value);
        return crc.getValue();
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        return bytes.length >= prefix.length
                && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] bytes, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
