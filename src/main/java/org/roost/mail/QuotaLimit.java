package org.roost.mail;

/**
 * A user's quota limits: bytes of stored mail and a number of messages; 0 means no limit on that resource.
 * One quota root per user, over every mailbox (Maildir++ and Dovecot's default).
 */
public record QuotaLimit(long storage, long messages) {
    public static final QuotaLimit NONE = new QuotaLimit(0, 0);

    public QuotaLimit {
        if (storage < 0 || messages < 0) {
            throw new IllegalArgumentException("quota limits cannot be negative");
        }
    }

    /** Whether any resource is limited (else nothing needs to be counted). */
    public boolean limited() {
        return storage > 0 || messages > 0;
    }

    /** Whether {@code usage} plus {@code bytes} and {@code count} more would pass a limit. */
    public boolean exceededBy(QuotaUsage usage, long bytes, long count) {
        return storage > 0 && usage.storage() + bytes > storage
                || messages > 0 && usage.messages() + count > messages;
    }
}
