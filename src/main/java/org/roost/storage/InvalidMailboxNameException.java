package org.roost.storage;

/** The mailbox name is not acceptable. */
public class InvalidMailboxNameException extends StorageException {

    public InvalidMailboxNameException(String message) {
        super(message);
    }
}
