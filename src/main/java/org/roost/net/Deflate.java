package org.roost.net;

/**
 * How a connection compresses (COMPRESS=DEFLATE, RFC 4978). {@code level}: zlib's 0 (store) to 9 (best);
 * {@code history}: bytes of the responses kept between two responses as the next one's dictionary (0 to
 * 32 KiB: what an idle compressed connection holds beside its inflater).
 */
public record Deflate(int level, int history) {
    public static final int MAX_HISTORY = 32 * 1024;

    public Deflate {
        if (level < 0 || level > 9) {
            throw new IllegalArgumentException("deflate level " + level);
        }
        if (history < 0 || history > MAX_HISTORY) {
            throw new IllegalArgumentException("deflate history " + history);
        }
    }
}
