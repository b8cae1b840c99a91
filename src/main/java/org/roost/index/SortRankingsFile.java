package org.roost.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumMap;
import org.roost.mail.sort.PackedLongs;
import org.roost.mail.sort.SortField;

/**
 * The kept sort rankings in a {@link KeptFile} beside the index ({@value #NAME}): UIDs and each field's
 * packed ranks, written after every ranking of the whole mailbox, read by the first SORT after a start.
 * What was added or expunged since is brought in as after an APPEND or EXPUNGE ({@link RankingUpdate});
 * a file not to trust is ignored and the mailbox ranked again.
 */
final class SortRankingsFile {
    static final String NAME = "roost.index.sort";
    /** "RSR1". */
    private static final int MAGIC = 0x52535231;

    private final KeptFile file;

    SortRankingsFile(Path directory) {
        this.file = new KeptFile(directory, NAME, MAGIC);
    }

    /** Where the file is (and a first ranking's run files, for a while). */
    Path directory() {
        return file.directory();
    }

    /** The rankings kept for {@code uidValidity}, or null when there are none to trust. */
    SortRankings.Made read(long uidValidity) {
        return file.read(uidValidity, (in, size) -> {
            var uids = KeptFile.readUids(in, size);
            var byField = new EnumMap<SortField, SortRanking>(SortField.class);
            for (var field : SortField.values()) {
                byField.put(field, new SortRanking(uids, PackedLongs.read(in, uids.length, size)));
            }
            return new SortRankings.Made(uids, byField);
        });
    }

    /** Keeps {@code contents} for {@code uidValidity}, replacing what was kept. */
    void write(long uidValidity, SortRankings.Made contents) throws IOException {
        file.write(uidValidity, out -> {
            KeptFile.writeUids(out, contents.uids());
            for (var field : SortField.values()) {
                contents.byField().get(field).ranks().write(out);
            }
        });
    }

    /** Forgets what was kept (the mailbox was rebuilt: a UID may name another message now). */
    void delete() throws IOException {
        file.delete();
    }
}
