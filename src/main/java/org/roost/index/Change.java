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
     * The virtual size of a message that was {@link org.roost.mail.StoredMessage#UNKNOWN_SIZE unknown},
     * measured by reading it: not a change of the message, but recorded like one so that it is measured once.
     */
    record Size(long uid, long virtualSize) implements Change {}
}
