package org.roost.mail;

/**
 * A write made from the messages as one server last read them found that another server (a replica on the same
 * database) changed one of them since: nothing was written, and the write is to be made again from a fresh read.
 * When that keeps happening, the client may try again (IMAP {@code [INUSE]}).
 */
public class ConcurrentChangeException extends MailboxInUseException {

    public ConcurrentChangeException(String message) {
        super(message);
    }
}
