package org.roost.mail;

/** The keyword is malformed or no more keywords fit. */
public class InvalidKeywordException extends StorageException {

    public InvalidKeywordException(String message) {
        super(message);
    }
}
