package org.roost.index;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * A file beside the index that keeps what was made from every message of a mailbox (sort rankings,
 * thread keys), so that the first use after a restart reads no message again: written whole (a
 * temporary file renamed over the old one) after the whole mailbox was read, read back whole. A UID
 * never names another message while the UIDVALIDITY stays, so a file of the mailbox's UIDVALIDITY
 * holds the messages it names right. A file of another format or UIDVALIDITY, cut short, failing its
 * CRC-32C or its reader's checks is ignored: its contents are made again and the file written anew.
 * Never fsynced: everything in it can be made again.
 */
final class KeptFile {
    /** The contents after the format and UIDVALIDITY; throws for anything it does not trust. */
    @FunctionalInterface
    interface Reader<T> {
        T read(DataInputStream in, long fileSize) throws IOException;
    }

    @FunctionalInterface
    interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(KeptFile.class.getName());
    private final Path file;
    private final int magic;

    /** {@code magic}: the format; a change of it makes older files be ignored. */
    KeptFile(Path directory, String name, int magic) {
        this.file = directory.resolve(name);
        this.magic = magic;
    }

    Path directory() {
        return file.getParent();
    }

    /** What is kept for {@code uidValidity}, or null when there is nothing to trust. */
    <T> T read(long uidValidity, Reader<T> contents) {
        try (var in = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file)), new CRC32C());
                var data = new DataInputStream(in)) {
            if (data.readInt() != magic || data.readLong() != uidValidity) {
                return null;
            }
            var read = contents.read(data, Files.size(file));
            long computed = in.getChecksum().getValue();
            if (data.readLong() != computed) {
                throw new IOException("checksum mismatch");
            }
            return read;
        } catch (NoSuchFileException none) {
            return null;
        } catch (IOException | RuntimeException damaged) {
            LOG.log(System.Logger.Level.INFO, "{0}: ignored, made again ({1})", file, damaged.toString());
            return null;
        }
    }

    /** Keeps what {@code contents} writes for {@code uidValidity}, replacing what was kept. */
    void write(long uidValidity, Writer contents) throws IOException {
        var temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp"); // two may write at once
        try (var out = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)), new CRC32C());
                var data = new DataOutputStream(out)) {
            data.writeInt(magic);
            data.writeLong(uidValidity);
            contents.write(data);
            data.writeLong(out.getChecksum().getValue());
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Forgets what was kept (the mailbox was rebuilt: a UID may name another message now). */
    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Writes ascending UIDs (unsigned) as {@link #readUids} reads them. */
    static void writeUids(DataOutputStream out, int[] uids) throws IOException {
        out.writeInt(uids.length);
        for (int uid : uids) {
            out.writeInt(uid);
        }
    }

    /** UIDs {@link #writeUids} wrote: a count no larger than the file allows, strictly ascending. */
    static int[] readUids(DataInputStream in, long fileSize) throws IOException {
        int n = in.readInt();
        if (n < 0 || 4L * n > fileSize) {
            throw new IOException("a count of " + n + " messages");
        }
        var uids = new int[n];
        for (int i = 0; i < n; i++) {
            uids[i] = in.readInt();
            if (i > 0 && Integer.compareUnsigned(uids[i - 1], uids[i]) >= 0) {
                throw new IOException("UIDs out of order");
            }
        }
        return uids;
    }
}
