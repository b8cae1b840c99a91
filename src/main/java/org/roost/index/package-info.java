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
 *     facts records, each with a CRC-32C, closed by a commit record (UIDNEXT, HIGHESTMODSEQ, change
 *     token, summary). Read on open; a torn or damaged tail ends the replay. Folded into a new index
 *     file once larger than a quarter of it. fsynced per transaction when {@code mail.fsync}, except
 *     the facts looked up in the mail, which can be looked up again.</li>
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
 *     table (8 bytes a message), so that an open does not read the whole cache file. A FETCH of
 *     ENVELOPE alone reads only the header of a message not cached and keeps that instead (codec
 *     format 2), until a request needs the whole structure and replaces it.</li>
 * <li>{@code roost.index.sort}: the kept sort rankings (UIDs and each field's packed ranks, a CRC-32C
 *     over all), written whole by rename after every ranking of the whole mailbox, read by the first
 *     SORT after a start; never fsynced (derivable), damage ignored and ranked again, deleted on a
 *     rebuild ({@code SortRankingsFile}). While a first ranking runs, its sorted runs of keys
 *     (one {@code roost-sort-*.run} file a ranking) are there too, unlinked as soon as it is made.</li>
 * <li>{@code roost.index.thread}: the kept thread keys (UIDs, the reference bound they were made
 *     with, the packed columns of {@code mail.sort.ThreadKeys}), kept like the rankings ({@code KeptFile},
 *     {@code KeptThreadKeys}): the first THREAD after a start reads no message but those newer than the file.</li>
 * <li>{@code roost.index.thread.names}: what the thread keys' subject and ID numbers stand for (each
 *     as its sort key with its number, sorted; the token the keys file records; CRC-32C), so that a new
 *     message's keys are added without another message read ({@code ThreadKeyNames}); never fsynced,
 *     damage makes the keys again.</li>
 * </ul>
 *
 * <h2>Opening</h2>
 * Opening reads the header, the keyword names and the log, not the records (a storage that knows
 * where they lie beforehand gets all of them read at once: {@code IndexReadAhead}): SELECT is answered
 * from the summary of the header or of the log's last commit while a virtual thread reads the
 * records (checking the body's CRC, every record, and the result against that summary); whatever
 * needs a message waits for it. Damage found then rebuilds from the mail, like damage at open.
 *
 * <h2>Facts looked up later</h2>
 * A mailbox the index has not seen (its first SELECT, a rebuild, messages another program delivered)
 * is opened from the mail's listing alone: UIDs from dovecot-uidlist, flags and keywords from the
 * file names. Neither a message file nor its metadata is looked at: a million stats cost seconds of
 * kernel time, a million reads minutes, and SELECT needs neither (Dovecot does not stat either). What
 * only the file tells is recorded as unknown (sentinels; the summary counts the unknown virtual sizes
 * as pending) and looked up when a command first needs it ({@link org.roost.index.Fact}):
 * <ul>
 * <li>the file's status, one stat: the internal date (the mtime), the physical size, and the virtual
 *     size (RFC822.SIZE, with CRLF line ends) where the name states one that fits the file (Dovecot's
 *     {@code W=}): for FETCH INTERNALDATE, SEARCH BEFORE/ON/SINCE, COPY and MOVE (whose copies keep
 *     the date), and before a message's file is read (FETCH of its content or structure, SEARCH of
 *     its text), which tells a file gone or no regular file (a link, a pipe) from one to read;</li>
 * <li>the virtual size of files named by other programs (Courier's and maildrop's {@code ,S=} without
 *     {@code W=}, procmail's with no size), by reading them: for FETCH RFC822.SIZE or a whole BODY[],
 *     SEARCH LARGER/SMALLER, STATUS SIZE, POP3, the admin API.</li>
 * </ul>
 * The messages a command names are looked up in batches ({@link org.roost.index.FactFinder}), each
 * on the server's few file lookup threads at once ({@link org.roost.index.FileLookups}, platform
 * threads: a stat would hold a virtual thread's carrier), one batch at a time per mailbox, checking
 * the session's cancellation per message; each
 * batch fills the shared table in place and goes to the log as facts records, so each file is looked
 * at once for all sessions and restarts, and a pass that stops keeps what it found. Pending dates
 * take the date column's lowest high byte, so they cost one heap byte per message while there are
 * any. A message expunged by another session while this one still shows it is looked up in its held
 * file, whose status was taken when it was held.
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
