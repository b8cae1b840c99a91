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
import java.util.EnumMap;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.roost.mail.sort.PackedLongs;
import org.roost.mail.sort.SortField;

/**
 * The kept sort rankings in a file beside the index ({@value #NAME}), so that the first SORT after a
 * restart reads no message again: written whole (a temporary file renamed over the old one) after every
 * ranking of the whole mailbox, read by the first SORT after a start. A UID never names another message
 * while the UIDVALIDITY stays, so a file of the mailbox's UIDVALIDITY ranks the messages it names right;
 * what was added or expunged since is brought in as after an APPEND or EXPUNGE ({@link RankingUpdate}).
 * A file of another format or UIDVALIDITY, cut short or failing its checksum is ignored: the mailbox
 * is ranked again and the file written anew.
 */
final class SortRankingsFile {
    static final String NAME = "roost.index.sort";
    /** "RSR1": the format; a change of it makes older files be ignored. */
    private static final int MAGIC = 0x52535231;
    private static final System.Logger LOG = System.getLogger(SortRankingsFile.class.getName());

    private final Path file;

    SortRankingsFile(Path directory) {
        this.file = directory.resolve(NAME);
    }

    /** Where the file is (and a first ranking's run files, for a while). */
    Path directory() {
        return file.getParent();
    }

    /** The rankings kept for {@code uidValidity}, or null when there are none to trust. */
    SortRankings.Made read(long uidValidity) {
        try (var in = new CheckedInputStream(new BufferedInputStream(Files.newInputStream(file)), new CRC32C());
                var data = new DataInputStream(in)) {
            if (data.readInt() != MAGIC || data.readLong() != uidValidity) {
                return null;
            }
            int n = data.readInt();
            if (n < 0 || 4L * n > Files.size(file)) {
                throw new IOException("a count of " + n + " messages");
            }
            var uids = new int[n];
            for (int i = 0; i < n; i++) {
                uids[i] = data.readInt();
                if (i > 0 && Integer.compareUnsigned(uids[i - 1], uids[i]) >= 0) {
                    throw new IOException("UIDs out of order");
                }
            }
            var byField = new EnumMap<SortField, SortRanking>(SortField.class);
            for (var field : SortField.values()) {
                byField.put(field, new SortRanking(uids, PackedLongs.read(data, n)));
            }
            long computed = in.getChecksum().getValue();
            if (data.readLong() != computed) {
                throw new IOException("checksum mismatch");
            }
            return new SortRankings.Made(uids, byField);
        } catch (NoSuchFileException none) {
            return null;
        } catch (IOException | RuntimeException damaged) {
            LOG.log(System.Logger.Level.INFO, "{0}: ignored, the mailbox is ranked again ({1})", file, damaged.toString());
            return null;
        }
    }

    /** Keeps {@code contents} for {@code uidValidity}, replacing what was kept. */
    void write(long uidValidity, SortRankings.Made contents) throws IOException {
        var temp = Files.createTempFile(file.getParent(), NAME, ".tmp"); // each writer its own: two may rank at once
        try (var out = new CheckedOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)), new CRC32C());
                var data = new DataOutputStream(out)) {
            data.writeInt(MAGIC);
            data.writeLong(uidValidity);
            data.writeInt(contents.uids().length);
            for (int uid : contents.uids()) {
                data.writeInt(uid);
            }
            for (var field : SortField.values()) {
                contents.byField().get(field).ranks().write(data);
            }
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
}
