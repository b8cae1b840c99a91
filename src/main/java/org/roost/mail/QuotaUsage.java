package org.roost.mail;

/** What a user's mail takes: bytes of message files and the number of messages, over every mailbox. */
public record QuotaUsage(long storage, long messages) {
    public static final QuotaUsage ZERO = new QuotaUsage(0, 0);

    public QuotaUsage plus(long bytes, long count) {
        return new QuotaUsage(storage + bytes, messages + count);
    }
}
