/**
 * Access control lists (RFC 4314) kept as Dovecot keeps them: the {@link org.roost.acl.Right}s and
 * {@link org.roost.acl.Rights} of {@code lrswipkxtea}, whom an entry is about ({@link org.roost.acl.Identifier}),
 * a mailbox's {@link org.roost.acl.Acl} and the rights it gives a {@link org.roost.acl.Requester} by Dovecot's
 * rules, and {@link org.roost.acl.AclFiles}, which reads and writes the {@code dovecot-acl} files and the global
 * ACL file with a cache checked by one {@code stat}. Knows nothing of IMAP sessions or mail storage: callers give
 * it the directory of a mailbox.
 */
package org.roost.acl;
