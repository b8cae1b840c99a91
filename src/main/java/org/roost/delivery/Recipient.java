package org.roost.delivery;

/**
 * A recipient whose user is known: the address as the envelope gave it, the user it delivers to, and the
 * mailbox wanted for it (from the address's detail or the {@code deliver -m} option; null for INBOX).
 */
public record Recipient(MailAddress address, String user, String wantedMailbox) {}
