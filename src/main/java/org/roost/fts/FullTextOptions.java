package org.roost.fts;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the full-text index is kept ({@code fts.*} in the configuration).
 *
 * @param enabled        whether SEARCH asks an index at all (without one every text search scans)
 * @param directory      where each user's index lives, one folder per user
 * @param ramBufferMb    what the indexer buffers before it writes a segment, over all the users' indexes; half
 *                       as much keeps the texts of the messages indexed last (the copies of one delivery)
 * @param maxTextChars   the characters of text indexed per message; a longer message is always a
 *                       candidate, and the matcher reads it
 * @param queueBound     how many mailboxes may wait for the indexer; beyond, a mailbox is caught up when
 *                       it is next searched
 * @param maxOpenIndexes how many users' indexes stay open at once; the least recently used one beyond is
 *                       closed (and opened again when next needed)
 * @param attachments    how the text of attachments is read
 * @param maxIndexBytesPerUser the size one user's index may grow to, on disk and buffered; beyond, its new
 *                       messages are not indexed, and searches read them
 * @param commitInterval how long what the indexer added may wait for its commit (fsync): searches see it at
 *                       once, and a crash loses at most this much of indexing, which the next change or
 *                       search of the mailbox does again
 * @param refreshInterval the least time between two reopens of one index's searcher, which a search makes when
 *                       the index was written to since (writing a segment); within it a search reads the messages
 *                       not visible yet itself, as any the index cannot vouch for
 * @param positionedChars the characters of a message's headers and of its body indexed with the positions of their
 *                       trigrams; past them each distinct trigram once, without positions (a long text costs a
 *                       fraction to index), and a message whose rest has every trigram of a needle is read by the
 *                       matcher
 * @param deferredMessagesPerUser how many new messages of one user may wait for the first SEARCH that needs them
 *                       (which reads them, and hands their mailbox to the indexer) before they are indexed in the
 *                       background; 0: every new message is indexed at once ({@link Backlog})
 */
public record FullTextOptions(boolean enabled, Path directory, double ramBufferMb, int maxTextChars, int queueBound,
        int maxOpenIndexes, Attachments attachments, long maxIndexBytesPerUser,
        Duration commitInterval, Duration refreshInterval, int positionedChars, int deferredMessagesPerUser) {
    public static final double DEFAULT_RAM_BUFFER_MB = 16;
    public static final int DEFAULT_MAX_TEXT_CHARS = 1 << 20;
    public static final int DEFAULT_QUEUE_BOUND = 10_000;
    public static final int DEFAULT_MAX_OPEN_INDEXES = 100;
    public static final long DEFAULT_MAX_INDEX_BYTES_PER_USER = 8L << 30;
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofMillis(500);
    public static final int DEFAULT_POSITIONED_CHARS = 16 * 1024;
    /** Tools and tests index at once; the server's default is in its configuration. */
    public static final int DEFAULT_DEFERRED_MESSAGES_PER_USER = 0;

    /**
     * The bounds on reading an attachment's text: larger ones are not read, a parse that takes longer is
     * abandoned, and at most {@code threads} parse at once (when all are busy, an attachment is skipped).
     */
    public record Attachments(long maxBytes, Duration timeout, int threads) {
        public static final Attachments DEFAULTS = new Attachments(10L * 1024 * 1024, Duration.ofSeconds(10), 2);
    }

    /** The defaults, with the index under {@code directory}. */
    public static FullTextOptions defaults(Path directory) {
        return new FullTextOptions(true, directory, DEFAULT_RAM_BUFFER_MB, DEFAULT_MAX_TEXT_CHARS, DEFAULT_QUEUE_BOUND,
                DEFAULT_MAX_OPEN_INDEXES, Attachments.DEFAULTS, DEFAULT_MAX_INDEX_BYTES_PER_USER,
                DEFAULT_COMMIT_INTERVAL, DEFAULT_REFRESH_INTERVAL, DEFAULT_POSITIONED_CHARS,
                DEFAULT_DEFERRED_MESSAGES_PER_USER);
    }

    /** The same with at most {@code bytes} per user's index. */
    public FullTextOptions withMaxIndexBytesPerUser(long bytes) {
        return new FullTextOptions(enabled, directory, ramBufferMb, maxTextChars, queueBound, maxOpenIndexes, attachments,
                bytes, commitInterval, refreshInterval, positionedChars, deferredMessagesPerUser);
    }

    /** The same with commits at most every {@code interval}. */
    public FullTextOptions withCommitInterval(Duration interval) {
        return new FullTextOptions(enabled, directory, ramBufferMb, maxTextChars, queueBound, maxOpenIndexes, attachments,
                maxIndexBytesPerUser, interval, refreshInterval, positionedChars, deferredMessagesPerUser);
    }

    /** The same with searchers reopened at most every {@code interval}. */
    public FullTextOptions withRefreshInterval(Duration interval) {
        return new FullTextOptions(enabled, directory, ramBufferMb, maxTextChars, queueBound, maxOpenIndexes, attachments,
                maxIndexBytesPerUser, commitInterval, interval, positionedChars, deferredMessagesPerUser);
    }

    /** The same with positions for the first {@code chars} characters of the headers and of the body. */
    public FullTextOptions withPositionedChars(int chars) {
        return new FullTextOptions(enabled, directory, ramBufferMb, maxTextChars, queueBound, maxOpenIndexes, attachments,
                maxIndexBytesPerUser, commitInterval, refreshInterval, chars, deferredMessagesPerUser);
    }

    /** The same with at most {@code messages} new messages per user left for a search (0: indexed at once). */
    public FullTextOptions withDeferredMessagesPerUser(int messages) {
        return new FullTextOptions(enabled, directory, ramBufferMb, maxTextChars, queueBound, maxOpenIndexes, attachments,
                maxIndexBytesPerUser, commitInterval, refreshInterval, positionedChars, messages);
    }

    /** No index: every text search scans, and attachments are not read. */
    static FullTextOptions off() {
        return new FullTextOptions(false, Path.of("."), DEFAULT_RAM_BUFFER_MB, DEFAULT_MAX_TEXT_CHARS,
                DEFAULT_QUEUE_BOUND, DEFAULT_MAX_OPEN_INDEXES, Attachments.DEFAULTS, DEFAULT_MAX_INDEX_BYTES_PER_USER,
                DEFAULT_COMMIT_INTERVAL, DEFAULT_REFRESH_INTERVAL, DEFAULT_POSITIONED_CHARS,
                DEFAULT_DEFERRED_MESSAGES_PER_USER);
    }
}
