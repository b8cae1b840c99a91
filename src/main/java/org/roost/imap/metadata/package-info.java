/**
 * IMAP METADATA and METADATA-SERVER (RFC 5464): GETMETADATA and SETMETADATA over the user's annotations, which
 * the index keeps beside each mailbox ({@link org.roost.index.Annotations}), with the server's read-only
 * {@code /shared/comment} and {@code /shared/admin} from {@code metadata.*}. Changes made by other sessions
 * reach a client as unsolicited METADATA responses through NOTIFY's MailboxMetadataChange and
 * ServerMetadataChange events (RFC 5465 §5.6, §5.7) in {@code org.roost.imap.notify}.
 */
package org.roost.imap.metadata;
