package org.roost.mail;

/** The message(s) would take the user over a quota limit (IMAP {@code [OVERQUOTA]}, LMTP {@code 5.2.2}). */
public class OverQuotaException extends StorageException {

    public OverQuotaException(String message) {
        super(message);
    }
}
