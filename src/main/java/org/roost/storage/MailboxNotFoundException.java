package org.roost.storage;

/** No such mailbox. */
public class MailboxNotFoundException extends StorageException {

    public MailboxNotFoundException(String message) {
        super(message);
    }
}
