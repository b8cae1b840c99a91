package org.roost.imap.command;

import java.io.IOException;
import org.roost.index.Mailboxes;

/**
 * APPENDLIMIT (RFC 7889): the largest message an APPEND may store. The server's is the literal limit
 * ({@code limits.maxLiteralSize}, the capability's {@code APPENDLIMIT=n}); a user's is smaller where the user's
 * whole storage quota is: such a message could never fit. That is a fixed number per user, as §3.3 asks, never
 * what is left of the quota.
 */
public record AppendLimit(long maxLiteralSize) {

    /** {@code APPENDLIMIT=n}, advertised after login. */
    public Capability capability() {
        return Capability.afterLogin("APPENDLIMIT=" + maxLiteralSize);
    }

    /** The limit for the user of {@code mailboxes} (the same in each of the user's mailboxes). */
    public long of(Mailboxes mailboxes) throws IOException {
        long storage = mailboxes.quotaLimit().storage();
        return storage > 0 ? Math.min(storage, maxLiteralSize) : maxLiteralSize;
    }
}
