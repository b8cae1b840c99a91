package org.roost.mail;

import java.io.IOException;

/** A storage operation refused for a reason the client can be told (as opposed to an I/O fault). */
public class StorageException extends IOException {

    public StorageException(String message) {
        super(message);
    }
}
