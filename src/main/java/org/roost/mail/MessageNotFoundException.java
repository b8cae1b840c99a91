package org.roost.mail;

/** The message no longer exists. */
public class MessageNotFoundException extends StorageException {

    public MessageNotFoundException(String message) {
        super(message);
    }
}
