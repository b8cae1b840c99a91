package org.roost.mail;

/**
 * A user's mail cannot be reached now: the user database did not answer, or the location it gave is refused.
 * The reason is the operator's (logged where it arose); the client only learns to try later.
 */
public class MailUnavailableException extends StorageException {

    public MailUnavailableException(String message) {
        super(message);
    }
}
