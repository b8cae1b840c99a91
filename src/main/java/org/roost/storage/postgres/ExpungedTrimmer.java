package org.roost.storage.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps each mailbox's record of expunged UIDs (QRESYNC's VANISHED (EARLIER)) to its newest {@code kept} rows: past
 * that, the rows of the oldest MODSEQs go, whole MODSEQs at a time, and the mailbox's {@code expunged_exact_from}
 * rises to the highest MODSEQ that went, in the same transaction, so that no reader takes a trimmed record for a
 * complete one ({@link PostgresMailbox#expungedAfter}). Nothing a client is shown changes: no MODSEQ moves.
 */
final class ExpungedTrimmer {
    /** Mailboxes looked at per query of the sweep. */
    private static final int BATCH = 1000;
    private final MailDatabase database;

    ExpungedTrimmer(MailDatabase database) {
        this.database = database;
    }

    /** One sweep over the mailboxes that keep more than {@code kept} expunged UIDs; returns how many were trimmed. */
    int sweep(int kept) throws IOException {
        int trimmed = 0;
        long after = 0;
        List<Long> over;
        do {
            over = over(kept, after);
            for (long mailbox : over) {
                if (trim(mailbox, kept)) {
                    trimmed++;
                }
            }
            after = over.isEmpty() ? after : over.getLast();
        } while (over.size() == BATCH);
        return trimmed;
    }

    /** The mailboxes above {@code after} (by id, ascending) that keep more than {@code kept} expunged UIDs. */
    private List<Long> over(int kept, long after) throws IOException {
        return database.read(c -> {
            try (var s = database.prepare(c, "SELECT mailbox_id FROM expunged WHERE mailbox_id > ? GROUP BY mailbox_id"
                    + " HAVING count(*) > ? ORDER BY mailbox_id LIMIT " + BATCH)) {
                s.setLong(1, after);
                s.setLong(2, kept);
                var ids = new ArrayList<Long>();
                try (var rows = s.executeQuery()) {
                    while (rows.next()) {
                        ids.add(rows.getLong(1));
                    }
                }
                return ids;
            }
        });
    }

    /**
     * Cuts at the MODSEQ of the newest row beyond the {@code kept} newest: that MODSEQ's rows and every older one
     * go. The mailbox row is locked first, so that two replicas' sweeps trim one mailbox one after the other.
     */
    boolean trim(long mailbox, int kept) throws IOException {
        return database.transaction(c -> {
            try (var s = database.prepare(c, "SELECT 1 FROM mailboxes WHERE id = ? FOR UPDATE")) {
                s.setLong(1, mailbox);
                s.executeQuery().close();
            }
            try (var s = database.prepare(c, "WITH cut AS (SELECT modseq FROM expunged WHERE mailbox_id = ?"
                    + " ORDER BY modseq DESC OFFSET ? LIMIT 1), gone AS (DELETE FROM expunged WHERE mailbox_id = ?"
                    + " AND modseq <= (SELECT modseq FROM cut) RETURNING modseq) UPDATE mailboxes"
                    + " SET expunged_exact_from = GREATEST(expunged_exact_from, (SELECT max(modseq) FROM gone))"
                    + " WHERE id = ? AND EXISTS (SELECT 1 FROM gone)")) {
                s.setLong(1, mailbox);
                s.setLong(2, kept);
                s.setLong(3, mailbox);
                s.setLong(4, mailbox);
                return s.executeUpdate() == 1;
            }
        });
    }
}
