package org.roost.fts;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The size one user's index may grow to ({@code fts.maxIndexBytesPerUser}). A user at the limit gets no
 * new documents: searches read the messages the index lacks, so answers stay whole, only slower. Reaching
 * it is logged once, until the index is under it again (expunged messages merged away, or a rebuild).
 */
final class IndexLimit {
    private static final System.Logger LOG = System.getLogger(IndexLimit.class.getName());
    private final long maxBytes;
    private final Set<String> full = ConcurrentHashMap.newKeySet();

    IndexLimit(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    /**
     * Whether {@code user}'s {@code index} may take more messages; the first "no" is logged. What the
     * indexer buffers takes more room in memory than on disk: near the limit it is written out and the
     * files measured, so that the answer does not change when they are next measured.
     */
    boolean allows(String user, UserIndex index) throws IOException {
        if (index.bytes() >= maxBytes) {
            index.flush();
        }
        long bytes = index.bytes();
        if (bytes < maxBytes) {
            full.remove(user);
            return true;
        }
        if (full.add(user)) {
            LOG.log(System.Logger.Level.WARNING, "full-text index of {0} reached fts.maxIndexBytesPerUser ({1} of {2}"
                    + " bytes): its new messages are not indexed, and searches read them", user, bytes, maxBytes);
        }
        return false;
    }

    /** Whether {@code user}'s index was found at the limit when last asked. */
    boolean reached(String user) {
        return full.contains(user);
    }

    /** The users whose indexes were found at the limit when last asked. */
    int usersAtLimit() {
        return full.size();
    }
}
