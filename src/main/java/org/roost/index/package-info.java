/**
 * The mailbox index: one shared {@link org.roost.index.MailboxState} per open mailbox, held by the
 * {@link org.roost.index.IndexCache} within a heap budget ({@code index.cacheBytes}), seen by each
 * session through its own {@link org.roost.index.MailboxView}.
 *
 * <h2>In memory</h2>
 * A mailbox is a {@code MessageTable}: one primitive array per field (UID, flags, keyword mask,
 * MODSEQ, internal date, sizes, key reference), 25 to 42 heap bytes per message; the storage keys
 * live in a {@code KeyArena} whose first chunk is the memory-mapped key section of the index file.
 * Tables are immutable and share arrays; {@code StoredMessage} objects are made on demand.
 *
 * <h2>On disk (in the Maildir folder, beside dovecot-uidlist)</h2>
 * <ul>
 * <li>{@code roost.index}: a 128-byte header (magic, version, UIDVALIDITY, UIDNEXT, HIGHESTMODSEQ,
 *     count, the storage's change token, the log generation, the {@link org.roost.index.TableSummary}
 *     SELECT reports, CRC-32C of header, body and keyword names), one 48-byte record per message,
 *     then the keys and the keyword names. Written whole to a temporary file and renamed.</li>
 * <li>{@code roost.index.log}: append-only transactions of append / flags / expunge / keyword /
 *     size records, each with a CRC-32C, closed by a commit record (UIDNEXT, HIGHESTMODSEQ, change
 *     token, summary). Read on open; a torn or damaged tail ends the replay. Folded into a new index
 *     file once larger than a quarter of it. fsynced per transaction when {@code mail.fsync}.</li>
 * <li>{@code roost.modseq}: what MODSEQs need beyond the index ({@link org.roost.index.ModseqHistory}):
 *     the UIDs expunged with the MODSEQ of their expunge (QRESYNC's VANISHED), bounded by
 *     {@code index.maxExpungedRanges}, and a MODSEQ ceiling reserved a block ahead, appended and
 *     fsynced before the log records the change; not deleted with the index, so an index rebuilt from
 *     the mail starts above every MODSEQ a client may hold (RFC 7162 §3.1).</li>
 * <li>{@code roost.index.cache}: the parsed MIME structure (ENVELOPE, BODYSTRUCTURE, section
 *     offsets, the message headers) of each message a client asked about, filled lazily and read
 *     ahead when the mailbox opens; append-only records keyed by UID, storage key hash and size,
 *     each with a CRC-32C; never fsynced (derivable), damage ignored and rebuilt, compacted when
 *     expunged records dominate, deleted with the index on a rebuild
 *     ({@code StructureCacheFile}). {@code roost.index.cache.map} checkpoints its UID to offset
 *     table (8 bytes a message), so that an open does not read the whole cache file.</li>
 * </ul>
 *
 * <h2>Opening</h2>
 * Opening reads the header, the keyword names and the log, not the records: SELECT is answered
 * from the summary of the header or of the log's last commit while a virtual thread reads the
 * records (checking the body's CRC, every record, and the result against that summary); whatever
 * needs a message waits for it. Damage found then rebuilds from the mail, like damage at open.
 *
 * <h2>Sizes measured later</h2>
 * A message's physical size comes from the listing; its virtual size (RFC822.SIZE: with CRLF line
 * ends) only when the storage states it (Dovecot's {@code W=} in a Maildir name, when it fits the
 * file). Files named by other programs (Courier's and maildrop's {@code ,S=} without {@code W=},
 * procmail's with no size) are not read to open the mailbox: their virtual size is recorded as
 * unknown (a sentinel, counted in the summary as pending), and the first command that needs it
 * (FETCH RFC822.SIZE or a whole BODY[], SEARCH LARGER/SMALLER, STATUS SIZE, POP3, the admin API)
 * measures the messages it names by reading them, in batches that go to the log as size records,
 * so each message is read once for all sessions and restarts ({@link org.roost.index.SizeMeasurer}).
 *
 * <h2>Truth and change detection</h2>
 * The mail files are the truth. The storage's {@link org.roost.storage.ChangeToken} (Maildir: the
 * stamps of new/, cur/, dovecot-uidlist, dovecot-keywords) is recorded with every commit; a refresh
 * or an open whose token matches reads nothing else, any other token means a full scan whose
 * differences are logged. A damaged index (checksums, bounds, ascending UIDs, flag bits, UIDNEXT,
 * another UIDVALIDITY) is rebuilt from a scan, UIDs coming from dovecot-uidlist; index files that
 * cannot be written only cost speed.
 *
 * <h2>Internal dates</h2>
 * The index keeps each internal date as given (signed epoch seconds: every date of RFC 3501's
 * years 0000-9999). The message file's mtime is set to it too, but only as a hint, as far as the
 * file system holds it (ext4: 1901-12-13 to 2446-05-10 UTC; the kernel keeps the nearest end): a
 * rebuild from the mail (damage, an older format, {@code roost index}) or a mailbox without index
 * files takes the dates from the mtimes, so a date beyond that range comes back as its nearest end.
 */
package org.roost.index;
