package org.roost.storage;

import java.io.IOException;
import java.util.Optional;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;

/**
 * Where a store keeps a user's quota bookkeeping (for Maildir: Maildir++'s {@code maildirsize}, shared with
 * Courier and Dovecot). Safe for several threads and processes; the usage is a running account that drifts
 * only when other programs change mail without recording it, and is recalculated from the mail when it is
 * missing, damaged, long, or kept for other limits.
 */
public interface QuotaStore {

    /** The usage as recorded, recalculated first when the record cannot be trusted for {@code limit}. */
    QuotaUsage usage(QuotaLimit limit) throws IOException;

    /**
     * Records that {@code bytes} and {@code messages} were added (negative: removed), and returns the usage
     * with them (when the record had to be recalculated, as counted from the mail, where they already are).
     */
    QuotaUsage record(QuotaLimit limit, long bytes, long messages) throws IOException;

    /** Counts the mail afresh and rewrites the record. */
    QuotaUsage recalculate(QuotaLimit limit) throws IOException;

    /** Limits an administrator set for this user, which win over the user database's; empty when none. */
    Optional<QuotaLimit> override() throws IOException;

    /** Sets (or, with empty, removes) the administrator's limits; durable when it returns. */
    void override(Optional<QuotaLimit> limit) throws IOException;
}
