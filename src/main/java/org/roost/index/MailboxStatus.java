package org.roost.index;

/**
 * A mailbox's figures, as STATUS (RFC 3501 §6.3.10) and the admin API report them.
 *
 * @param messages    how many messages
 * @param recent      how many no session has claimed as {@code \Recent} yet
 * @param uidNext     the UID the next message will get
 * @param uidValidity the UIDVALIDITY
 * @param unseen      how many lack {@code \Seen}
 * @param size        the sum of the messages' sizes with CRLF line ends
 * @param version     the shared state's version, which every change raises
 * @param highestModseq HIGHESTMODSEQ (RFC 7162 §3.1.7), 0 when the mailbox keeps no MODSEQs
 */
public record MailboxStatus(int messages, int recent, long uidNext, long uidValidity, int unseen, long size, long version,
                            long highestModseq) {}
