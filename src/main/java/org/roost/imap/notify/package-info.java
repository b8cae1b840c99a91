/**
 * NOTIFY (RFC 5465): a session's {@link org.roost.imap.notify.Notifier} listens to its user's mailbox events
 * (from every session and protocol, and from other programs through the index's file watch), keeps what it
 * owes the client in a bounded record, and writes it between commands and during IDLE from its own
 * virtual thread.
 */
package org.roost.imap.notify;
