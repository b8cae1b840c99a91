package org.roost.mail;

/** The mailbox exists already. */
public class MailboxExistsException extends StorageException {

    public MailboxExistsException(String message) {
        super(message);
    }
}
