package org.roost.mail;

/** No such mailbox. */
public class MailboxNotFoundException extends StorageException {

    public MailboxNotFoundException(String message) {
        super(message);
    }
}
