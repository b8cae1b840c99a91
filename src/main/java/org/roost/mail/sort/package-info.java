/**
 * What SORT and THREAD (RFC 5256, RFC 5957) read from a message, independent of any protocol:
 * the base subject (§2.1), the sent date (§2.2), normalized Message-IDs, the
 * i;unicode-casemap collation (RFC 5051), and the {@link org.roost.mail.sort.SortField}s a mailbox
 * index keeps an order for, and the {@link org.roost.mail.sort.ThreadKeys} it keeps for THREAD.
 */
package org.roost.mail.sort;
