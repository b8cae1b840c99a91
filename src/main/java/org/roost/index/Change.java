package org.roost.index;

/**
 * One change to a mailbox's message table, in primitive terms: what the change log records and
 * what {@link MessageTable#apply} folds in. Keyword masks refer to the mailbox's {@link KeywordNames}.
 */
sealed interface Change {

    long uid();

    record Append(long uid, int flags, long keywords, long modseq, long internalDate, long size, long virtualSize,
                  String key) implements Change {}

    record Flags(long uid, int flags, long keywords, long modseq) implements Change {}

    record Expunge(long uid) implements Change {}

    /**
     * What was unknown of a message when it was listed, looked up later: its internal date and physical
     * size (from its file's metadata) and its virtual size (stated, or measured by reading it), each
     * {@link MessageTable#UNKNOWN_DATE} or {@link org.roost.mail.StoredMessage#UNKNOWN_SIZE} when not
     * found. Not a change of the message, but recorded like one so that each is looked up once.
     */
    record Facts(long uid, long internalDate, long size, long virtualSize) implements Change {}
}
