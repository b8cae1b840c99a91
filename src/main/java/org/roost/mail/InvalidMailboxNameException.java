package org.roost.mail;

/** The mailbox name is not acceptable. */
public class InvalidMailboxNameException extends StorageException {
    private final String reason;

    public InvalidMailboxNameException(String message) {
        this(message, message);
    }

    /** {@code reason} says what is wrong without repeating the name, for answers that must not echo it. */
    public InvalidMailboxNameException(String message, String reason) {
        super(message);
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }
}
