package org.roost.storage;

/**
 * A cheap fingerprint of a mailbox's state in its storage (for Maildir: the modification times of
 * {@code new/}, {@code cur/} and the bookkeeping files, read with a few {@code stat} calls instead
 * of a directory listing; for a database, a change counter in each field). Two equal tokens mean
 * nothing changed in between, provided the earlier one was {@link #settled()}.
 *
 * @param deliveries changes where new mail arrives (Maildir {@code new/})
 * @param contents   changes to the stored messages (Maildir {@code cur/}: renames, removals)
 * @param metadata   changes to the driver's bookkeeping (Maildir {@code dovecot-uidlist}, keywords)
 * @param settled    false when a stamp is so recent that a further change could still get the
 *                   same time stamp (the file system's clock is coarse); such a token proves nothing
 */
public record ChangeToken(long deliveries, long contents, long metadata, boolean settled) {

    /** True when {@code other} stands for the same state (settledness aside). */
    public boolean sameStamps(ChangeToken other) {
        return other != null && deliveries == other.deliveries && contents == other.contents
                && metadata == other.metadata;
    }
}
