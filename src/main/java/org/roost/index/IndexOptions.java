package org.roost.index;

import java.lang.management.ManagementFactory;
import org.roost.mail.sort.KeyRanker;

/**
 * Settings of the index.
 *
 * @param persistent       keep index files ({@code roost.index}, {@code roost.index.log}) where the storage allows
 * @param fsync            make each log transaction durable before the write returns (the {@code mail.fsync} switch)
 * @param cacheBytes       heap budget of the shared cache of open mailboxes; idle ones beyond it are closed
 * @param maxHeldExpunged  expunged messages kept readable (an open file each) for sessions that still show
 *                         them, over the whole server
 * @param fileLookupThreads message files looked at at once for facts the storage did not state (see
 *                          {@link FactFinder}), over the whole server
 * @param maxExpungedRanges ranges of expunged UIDs each mailbox remembers with their MODSEQs ({@link ModseqHistory})
 * @param maxOpenFiles     file descriptors the open mailboxes keep open between commands, over the whole server
 *                         (see {@link DescriptorBudget}); 0 or less: {@link #defaultMaxOpenFiles()}
 * @param sortRunBytes     the bytes of sort keys a first SORT or THREAD holds in one run in memory (see
 *                         {@link org.roost.mail.sort.KeyRanker})
 */
public record IndexOptions(boolean persistent, boolean fsync, long cacheBytes, int maxHeldExpunged,
                           int fileLookupThreads, int maxExpungedRanges, int maxOpenFiles, int sortRunBytes) {
    public static final long DEFAULT_CACHE_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_HELD_EXPUNGED = 512;
    public static final int DEFAULT_FILE_LOOKUP_THREADS = 16;
    public static final int DEFAULT_MAX_EXPUNGED_RANGES = 100_000;
    /** The share of the process's descriptor limit the index may keep by default: the rest is for connections and mail. */
    private static final int DEFAULT_SHARE_OF_LIMIT = 4;
    /** What a process whose limit cannot be read is assumed to have (the usual soft limit). */
    private static final long ASSUMED_LIMIT = 1024;

    public IndexOptions {
        if (maxOpenFiles <= 0) {
            maxOpenFiles = defaultMaxOpenFiles();
        }
    }

    public IndexOptions(boolean persistent, boolean fsync, long cacheBytes) {
        this(persistent, fsync, cacheBytes, DEFAULT_MAX_HELD_EXPUNGED, DEFAULT_FILE_LOOKUP_THREADS,
                DEFAULT_MAX_EXPUNGED_RANGES, 0, KeyRanker.RUN_BYTES);
    }

    public static IndexOptions defaults() {
        return new IndexOptions(true, true, DEFAULT_CACHE_BYTES);
    }

    /** These options with at most {@code max} descriptors kept open by the index. */
    public IndexOptions withMaxOpenFiles(int max) {
        return new IndexOptions(persistent, fsync, cacheBytes, maxHeldExpunged, fileLookupThreads, maxExpungedRanges, max,
                sortRunBytes);
    }

    /**
     * A quarter of the process's descriptor limit (as the JVM raised it at start): a user with ten thousand folders
     * must leave the other three quarters to every other user's connections, messages and deliveries.
     */
    public static int defaultMaxOpenFiles() {
        long limit = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                && unix.getMaxFileDescriptorCount() > 0 ? unix.getMaxFileDescriptorCount() : ASSUMED_LIMIT;
        return (int) Math.min(Integer.MAX_VALUE, Math.max(DescriptorBudget.PER_MAILBOX, limit / DEFAULT_SHARE_OF_LIMIT));
    }
}
