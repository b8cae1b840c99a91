package org.roost.mail;

/**
 * The mailbox is locked by another program (a mail client, a delivery agent, another server) for
 * longer than the storage waits: the client may try again later (IMAP {@code [INUSE]}, RFC 5530;
 * POP3 {@code [IN-USE]}, RFC 2449).
 */
public class MailboxInUseException extends StorageException {

    public MailboxInUseException(String message) {
        super(message);
    }
}
