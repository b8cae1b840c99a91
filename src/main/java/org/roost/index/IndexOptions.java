package org.roost.index;

/**
 * Settings of the index.
 *
 * @param persistent       keep index files ({@code roost.index}, {@code roost.index.log}) where the storage allows
 * @param fsync            make each log transaction durable before the write returns (the {@code mail.fsync} switch)
 * @param cacheBytes       heap budget of the shared cache of open mailboxes; idle ones beyond it are closed
 * @param maxHeldExpunged  expunged messages kept readable (an open file each) for sessions that still show
 *                         them, over the whole server
 * @param maxExpungedRanges ranges of expunged UIDs each mailbox remembers with their MODSEQs ({@link ModseqHistory})
 */
public record IndexOptions(boolean persistent, boolean fsync, long cacheBytes, int maxHeldExpunged,
                           int maxExpungedRanges) {
    public static final long DEFAULT_CACHE_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_HELD_EXPUNGED = 512;
    public static final int DEFAULT_MAX_EXPUNGED_RANGES = 100_000;

    public IndexOptions(boolean persistent, boolean fsync, long cacheBytes) {
        this(persistent, fsync, cacheBytes, DEFAULT_MAX_HELD_EXPUNGED, DEFAULT_MAX_EXPUNGED_RANGES);
    }

    public static IndexOptions defaults() {
        return new IndexOptions(true, true, DEFAULT_CACHE_BYTES);
    }
}
