/**
 * The storage SPI: how the index reaches a mail format, and all that a driver (one subpackage per
 * format: {@code maildir}, {@code mbox}, {@code postgres} for PostgreSQL metadata with bodies in
 * an object store; {@code files} holds what the file-based ones share) has to provide. Only {@code index} and the server's wiring use this package;
 * protocols never do. The message and error types the SPI speaks ({@link org.roost.mail.StoredMessage},
 * {@link org.roost.mail.StorageException} and its subclasses, {@link org.roost.mail.MailboxInfo}) are
 * the shared vocabulary of {@code mail}.
 *
 * <h2>What a driver promises</h2>
 * <ul>
 * <li><b>Opening.</b> {@link org.roost.storage.StorageDriver#locate(String)} says where one user's
 *     mail lives (a directory under the configured {@link org.roost.storage.MailLocation}, or the
 *     user's own location as their database gives it and {@link org.roost.storage.UserLocations}
 *     allows it); {@link org.roost.storage.StorageDriver#open(UserLocation)} opens the
 *     {@link org.roost.storage.MailStore} there. The index keeps one store per
 *     {@link org.roost.storage.UserLocation#key()}, so two user names for one place share it. A store
 *     and its {@link org.roost.storage.MailboxStore}s are safe for use from many threads.</li>
 * <li><b>Names.</b> Mailbox names are Unicode strings whose levels are separated by the store's
 *     delimiter; {@code INBOX} in any case is the inbox. Wire encodings (IMAP's modified UTF-7) never
 *     reach a driver; how a name is kept on disk is the driver's business.</li>
 * <li><b>Durability.</b> Every mutation (create, delete, rename, subscribe, append, flag change,
 *     expunge, copy) is durable when the method returns, so a protocol may acknowledge it; a crash at
 *     any instant loses nothing acknowledged and leaves nothing half-visible.
 *     {@link org.roost.storage.MailboxStore#commitTogether} makes several new messages visible all or
 *     none across a crash too (Maildir writes a {@code roost-append.journal} beside {@code dovecot-uidlist}
 *     for the length of such a commit; mbox's every change is journaled already).</li>
 * <li><b>UIDs.</b> Each message has a UID, unique and ascending within the mailbox's UIDVALIDITY, kept
 *     by the driver across restarts and across the loss of any index: the index is never the only
 *     copy of a UID or a flag. {@link org.roost.mail.StoredMessage#key()} is the driver's own stable
 *     name for a message (kept across flag changes).</li>
 * <li><b>Truth.</b> {@link org.roost.storage.MailboxStore#scan()} reads the mailbox as it is,
 *     including changes other programs made; damaged bookkeeping is recovered, never thrown.
 *     {@link org.roost.storage.MailboxStore#changeToken()} is a cheap fingerprint (for Maildir a few
 *     stat calls; for a database a change counter) that lets the index skip a scan when nothing
 *     changed; a driver that cannot tell returns null and is scanned at each refresh.</li>
 * <li><b>Facts later.</b> A scan may leave a message's internal date and sizes unknown
 *     ({@link org.roost.mail.StoredMessage#UNKNOWN_DATE}, {@link org.roost.mail.StoredMessage#UNKNOWN_SIZE})
 *     when telling them costs more than listing (for Maildir, a {@code stat} per file);
 *     {@link org.roost.storage.MailboxStore#stat} then tells them for one message when a command first
 *     needs them, and the index keeps them. A driver whose scan knows them does not override it.</li>
 * <li><b>Bytes.</b> {@link org.roost.storage.MailboxStore#open} streams a message's bytes exactly as
 *     appended (line ends as stored; the index turns bare LF into CRLF); a message gone meanwhile is a
 *     {@link org.roost.mail.MessageNotFoundException}. Bodies may live anywhere (files, an object store).</li>
 * <li><b>Refusals.</b> What a client can be told (no such mailbox, it exists, a bad name, a bad or
 *     one-too-many keyword, a message gone) is a {@link org.roost.mail.StorageException} subclass;
 *     anything else is an {@link java.io.IOException} and is answered as a server fault.</li>
 * </ul>
 *
 * <h2>What a driver may leave out</h2>
 * Each has a default that works: a streamed {@link org.roost.storage.MailboxStore#scan(MailboxStore.ScanConsumer)}
 * (for drivers that hold millions of messages compactly; such a driver may hand each message over as a
 * reused {@link org.roost.storage.MailboxStore.ScanRow} read from its own columns, whose key the index
 * copies as bytes, so that a first open makes no object per message), {@link org.roost.storage.MailboxStore#indexDirectory()}
 * (without one the index lives in memory and is built by a scan when the mailbox opens),
 * {@link org.roost.storage.MailboxStore#hold} (without it a message expunged under a session that
 * still shows it cannot be read by that session: RFC 2180 §4.1.2's NO instead of §4.1.1),
 * {@link org.roost.storage.MailboxStore#setFlags(java.util.List)} (the flags of many messages at once,
 * one call per message by default; a driver that can make them durable together overrides it),
 * and {@link org.roost.storage.MailboxStore#pop3Uidls()} (UIDLs an earlier server kept).
 *
 * <p>A driver may also refuse with {@link org.roost.mail.MailboxInUseException} when another program
 * holds the mailbox longer than it waits (IMAP {@code NO [INUSE]}, POP3 {@code -ERR [IN-USE]}).
 */
package org.roost.storage;
