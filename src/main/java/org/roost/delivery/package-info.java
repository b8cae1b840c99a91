/**
 * Delivery of received mail into users' mailboxes, for LMTP and {@code roost deliver} alike.
 *
 * <p>{@link org.roost.delivery.MailDelivery} finds the user of an envelope address ({@code user+detail@domain}
 * is {@code user}, looked up with and then without its domain), writes the message once for the first
 * recipient and gives the others hard links to that file, side by side. Where the message goes is a
 * {@link org.roost.delivery.MailboxAccess}: {@link org.roost.delivery.IndexedMailboxes} inside the server (through
 * the shared index, so open sessions and IDLE see the message at once, and concurrent deliveries to a mailbox
 * are committed together), or the store itself for a process of its own. Every path goes through the user's
 * quota ({@link org.roost.index.Quotas}); {@link org.roost.delivery.QuotaNotices} turns crossed thresholds into
 * warning messages. {@link org.roost.delivery.DeliveryHeaders} writes the trace fields Dovecot writes. Each
 * recipient's Sieve scripts ({@link org.roost.sieve.SieveFilter}) decide the mailboxes and flags, redirects,
 * a rejection or a vacation reply before anything is stored; a delivery that stores the message more than once notes
 * each store in a {@link org.roost.sieve.StoreJournal}, so the MTA's retry after a crash makes only those missing.
 */
package org.roost.delivery;
