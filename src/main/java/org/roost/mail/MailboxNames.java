package org.roost.mail;

/** Rules every protocol and store apply to mailbox names. */
public final class MailboxNames {
    public static final String INBOX = "INBOX";

    private MailboxNames() {}

    /** INBOX is case-insensitive (RFC 3501 §5.1); every other name is case-sensitive. */
    public static String canonical(String mailbox) {
        return mailbox.equalsIgnoreCase(INBOX) ? INBOX : mailbox;
    }
}
