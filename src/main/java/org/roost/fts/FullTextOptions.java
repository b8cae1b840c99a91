package org.roost.fts;

import java.nio.file.Path;

/**
 * How the full-text index is kept ({@code fts.*} in the configuration).
 *
 * @param enabled        whether SEARCH asks an index at all (without one every text search scans)
 * @param directory      where each user's index lives, one folder per user
 * @param ramBufferMb    what the indexer buffers before it writes a segment, per user being indexed
 * @param maxTextChars   the characters of text indexed per message; a longer message is always a
 *                       candidate, and the matcher reads it
 * @param queueBound     how many mailboxes may wait for the indexer; beyond, a mailbox is caught up when
 *                       it is next searched
 */
public record FullTextOptions(boolean enabled, Path directory, double ramBufferMb, int maxTextChars, int queueBound) {
    public static final double DEFAULT_RAM_BUFFER_MB = 16;
    public static final int DEFAULT_MAX_TEXT_CHARS = 1 << 20;
    public static final int DEFAULT_QUEUE_BOUND = 10_000;

    /** The defaults, with the index under {@code directory}. */
    public static FullTextOptions defaults(Path directory) {
        return new FullTextOptions(true, directory, DEFAULT_RAM_BUFFER_MB, DEFAULT_MAX_TEXT_CHARS, DEFAULT_QUEUE_BOUND);
    }
}
