package org.roost.index;

import java.io.IOException;
import org.roost.storage.MailboxStore;

/**
 * What {@code roost migrate}, which copies mail without opening an index, does for MODSEQs (RFC 7162 §3.1: a
 * mod-sequence never goes back): the copy starts above every MODSEQ the source handed out, so that a client holding
 * one of them is told every message may have changed (and every UID it knows may have vanished), never nothing.
 */
public final class IndexedModseqs {
    private IndexedModseqs() {}

    /**
     * Raises {@code target}'s MODSEQs above {@code source}'s: in the storage where it allocates them (a database),
     * else in the MODSEQ history its index will start from (a Maildir's {@code roost.modseq}); nothing when the
     * source keeps none or the target has no place for them. Call it once the target has the source's UIDVALIDITY.
     */
    public static void carry(MailboxStore source, MailboxStore target) throws IOException {
        long floor = ceiling(source);
        if (floor == 0) {
            return;
        }
        if (target.allocatesModseqs()) {
            target.raiseModseqs(floor);
        } else if (target.indexDirectory() != null) {
            try (var history = ModseqHistory.open(target.indexDirectory(), true,
                    IndexOptions.DEFAULT_MAX_EXPUNGED_RANGES, target.uidValidity(), floor)) {
                history.rebuiltAt(floor);
            }
        }
    }

    /** A MODSEQ above every one {@code store} handed out: its own where it allocates them, else its index's. */
    private static long ceiling(MailboxStore store) throws IOException {
        var directory = store.indexDirectory();
        return store.allocatesModseqs() ? store.highestModseq()
                : directory == null ? 0 : ModseqHistory.ceilingIn(directory);
    }
}
