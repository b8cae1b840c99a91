package org.roost.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.mail.ConcurrentChangeException;
import org.roost.mail.InvalidKeywordException;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.StorageException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.mail.UidSet;

/**
 * The messages of one mailbox. Safe for use from several threads; mutations are serialized
 * and durable when the method returns.
 */
public interface MailboxStore {

    /** The mailbox name this store was opened with (canonical form, e.g. {@code INBOX}). */
    String name();

    /** UIDVALIDITY as last read or written. */
    long uidValidity();

    /** The UID the next new message will get, as last read or written. */
    long nextUid();

    /**
     * Synchronizes with the storage: messages delivered by others get UIDs, vanished ones are
     * dropped, flags are read afresh. Damaged bookkeeping is recovered, never thrown.
     *
     * @return every message in ascending UID order
     */
    List<StoredMessage> scan() throws IOException;

    /**
     * The same synchronization as {@link #scan()}, but the messages are handed to {@code consumer}
     * one at a time, in ascending UID order, so that a mailbox of a million messages never needs an
     * object per message at once. Drivers whose scan holds the mail compactly override this.
     */
    default void scan(ScanConsumer consumer) throws IOException {
        var messages = scan();
        consumer.expect(messages.size());
        for (var message : messages) {
            consumer.accept(message);
        }
    }

    /** What a driver that implements the streamed scan returns from {@link #scan()}: its messages in a list. */
    static List<StoredMessage> collected(MailboxStore store) throws IOException {
        var messages = new ArrayList<StoredMessage>();
        store.scan(new ScanConsumer() {
            @Override
            public void expect(int count) {
                messages.ensureCapacity(count);
            }

            @Override
            public void accept(StoredMessage message) {
                messages.add(message);
            }
        });
        return messages;
    }

    /** Receives the messages of a {@link #scan(ScanConsumer) streamed scan}. */
    interface ScanConsumer {
        /** Called once, before any message: about this many follow (a size for arrays, which may be exceeded). */
        void expect(int messages) throws IOException;

        /** One message; each call has a higher UID than the one before. */
        void accept(StoredMessage message) throws IOException;

        /**
         * One message with the MODSEQ of its latest change, from a storage that {@link #allocatesModseqs()
         * allocates MODSEQs}; a consumer that keeps none takes the message alone.
         */
        default void accept(StoredMessage message, long modseq) throws IOException {
            accept(message);
        }

        /**
         * One message as a driver that keeps its messages in columns hands it over, read in place: a
         * first open of a million messages then makes no object and no key string per message. Valid
         * only during this call (the driver reuses it). The default makes the {@link StoredMessage}, handed over
         * with its MODSEQ where the row has one.
         */
        default void accept(ScanRow row) throws IOException {
            if (row.modseq() > 0) {
                accept(row.toMessage(), row.modseq());
            } else {
                accept(row.toMessage());
            }
        }

        /**
         * Called by {@link MailboxStore#scanAsOf} before {@link #expect}: the UIDs expunged after the MODSEQ it was
         * given, as of the instant of the messages that follow; null when the storage no longer remembers that far
         * back.
         */
        default void expungedAfter(UidSet uids) {
        }
    }

    /** A message of a streamed scan, read from the driver's own columns (see {@link ScanConsumer#accept(ScanRow)}). */
    interface ScanRow {
        long uid();

        Set<SystemFlag> flags();

        Set<String> keywords();

        Instant internalDate();

        long physicalSize();

        long virtualSize();

        /** The key as a string (made on each call). */
        String key();

        /** The length of the key in UTF-8 bytes. */
        int keyLength();

        /** Puts the key's UTF-8 bytes into {@code out}, without making a string of them. */
        void putKey(ByteBuffer out);

        /** {@link #internalDate()} in epoch seconds, without making an {@link Instant}. */
        default long internalDateSeconds() {
            return internalDate().getEpochSecond();
        }

        /**
         * The MODSEQ of the message's latest change where the storage {@link #allocatesModseqs() allocates them} (RFC
         * 7162's MODSEQs are at least 1); 0 where it does not.
         */
        default long modseq() {
            return 0;
        }

        default StoredMessage toMessage() {
            return new StoredMessage(uid(), key(), flags(), keywords(), internalDate(), physicalSize(), virtualSize());
        }
    }

    /**
     * What SELECT reports of a whole mailbox, as a storage that keeps it beside the messages states it (see
     * {@link #summary()}), all of one instant.
     *
     * @param lastUid        the UID of the last message, 0 when there is none
     * @param firstUnseenRow the 0-based position of the first message without {@code \Seen}, -1 when all are seen
     * @param keywords       every keyword set on some message
     * @param token          the {@link #changeToken()} of that instant
     */
    record Summary(long uidValidity, long uidNext, long highestModseq, int count, long lastUid, int unseen,
                   int firstUnseenRow, Set<String> keywords, long totalVirtualSize, ChangeToken token) {}

    /**
     * The mailbox's {@link Summary} without a read of its messages, for a storage that {@link #allocatesModseqs()
     * allocates MODSEQs} and keeps the numbers with the mailbox (a database): a server that has never seen the
     * mailbox then answers SELECT at once, and reads the messages when a command first needs them. Null where the
     * storage keeps none (then opening reads the messages).
     */
    default Summary summary() throws IOException {
        return null;
    }

    /**
     * For a storage that keeps a {@link #summary()}: the messages from UID {@code fromUid} on, streamed as
     * {@link #scan(ScanConsumer)} streams them, told first ({@link ScanConsumer#expungedAfter}) the UIDs expunged after
     * {@code modseq}, all of one instant: with them a reader makes the mailbox as it was at a summary's instant (the
     * messages below its UIDNEXT read now, and those expunged since), and a read cut short resumes after the last UID
     * it took.
     */
    default void scanAsOf(long modseq, long fromUid, ScanConsumer consumer) throws IOException {
        throw new StorageException("this storage keeps no summary to read the messages as of");
    }

    /**
     * For a storage that {@link #allocatesModseqs() allocates MODSEQs}: the messages whose MODSEQ is above
     * {@code modseq} (changed or added since), handed to {@code changed} in ascending UID order with their MODSEQs,
     * and the UIDs expunged since, all of one instant, after which {@link #uidValidity()}, {@link #nextUid()} and
     * {@link #highestModseq()} are that instant's. Null where the storage cannot tell every change since
     * {@code modseq} (its expunge record does not reach back that far), or keeps no MODSEQs: then only a
     * {@link #scan} can.
     */
    default UidSet changesSince(long modseq, ScanConsumer changed) throws IOException {
        return null;
    }

    /**
     * A fingerprint of the mailbox on disk, cheap enough to read before every command, so that an
     * unchanged mailbox is not {@link #scan() scanned}; {@code null} when the driver cannot tell
     * (then every refresh scans).
     */
    default ChangeToken changeToken() throws IOException {
        return null;
    }

    /**
     * Whether the storage allocates the MODSEQs (RFC 7162) itself, so that every server on it serves the same ones
     * (a database that replicas share): then its streamed scan hands each message over with its MODSEQ
     * ({@link ScanConsumer#accept(StoredMessage, long)}), {@link #highestModseq()} tells the mailbox's, each write's
     * {@link WriteStamps#modseq()} the one it gave, and {@link #expungedAfter(long)} the UIDs expunged since one.
     * Otherwise (Maildir, mbox) the index allocates them and keeps them in its own files.
     */
    default boolean allocatesModseqs() {
        return false;
    }

    /** HIGHESTMODSEQ as last read (by a scan) or written; only for a storage that {@link #allocatesModseqs()}. */
    default long highestModseq() {
        return 0;
    }

    /**
     * The UIDs expunged with a MODSEQ above {@code modseq} (RFC 7162 §3.2.5.1's VANISHED (EARLIER)), or null when
     * the storage does not remember that far back; only for a storage that {@link #allocatesModseqs()}.
     */
    default UidSet expungedAfter(long modseq) throws IOException {
        return null;
    }

    /**
     * {@code roost migrate}, for a storage that {@link #allocatesModseqs()}: every MODSEQ given from now on is above
     * {@code floor} (the highest the mail's earlier server handed out, which its clients may hold), and the expunges
     * up to it are not known, so that such a client resynchronises instead of being told nothing changed.
     */
    default void raiseModseqs(long floor) throws IOException {
    }

    /**
     * {@code roost migrate}: commits {@code additions} under the UIDs they had in another store ({@code uids}, one
     * each, none of them here), all or none. The mailbox takes that store's {@code uidValidity} when it holds no
     * message yet (else it must have it) and its UIDNEXT is raised to at least {@code uidNext}; called with no
     * additions, it does only that, so that mail delivered meanwhile gets UIDs above the migrated ones. A storage
     * that keeps save dates as given (a database) keeps {@code saveDates} (one each, null for now); others date the
     * messages as they save them.
     *
     * @throws StorageException when the mailbox holds messages under another UIDVALIDITY, or the storage cannot
     *         keep another store's UIDs
     */
    default void commitUnder(long uidValidity, long uidNext, long[] uids, List<Instant> saveDates,
            List<PreparedMessage.Addition> additions) throws IOException {
        throw new StorageException("this storage cannot take messages under UIDs of another");
    }

    /**
     * The change tokens just before and just after this store's latest write (a commit, a flag change, an
     * expunge), as the write itself returned them, or null when it changed nothing; only for drivers that
     * {@link #stampsWrites()}. An index that was in step with {@code before} is in step with {@code after}.
     */
    default WriteStamps lastWrite() {
        return null;
    }

    /**
     * Whether {@link #lastWrite()} tells each write's tokens exactly (a database returns its counters from the
     * write), so that no {@link #changeToken()} need be read around a write and no change made by another
     * server between the write and such a read can be taken for ours.
     */
    default boolean stampsWrites() {
        return false;
    }

    /**
     * The tokens around one write (see {@link #lastWrite()}), and the MODSEQ the write gave the messages it changed
     * where the storage {@link #allocatesModseqs() allocates them} (0 where it does not).
     */
    record WriteStamps(ChangeToken before, ChangeToken after, long modseq) {}

    /**
     * Runs {@code onChange} soon after each change made to this mailbox through another server on the same
     * storage (a replica on the same database), as the storage tells it; returns what stops it. By default the
     * storage tells nothing, and such changes show at the next refresh.
     */
    default Runnable watchChanges(Runnable onChange) {
        return () -> { };
    }

    /**
     * Where an index of this mailbox may keep its files (for Maildir: the folder itself, next to
     * {@code dovecot-uidlist}), or {@code null} when the driver has no such place.
     */
    default Path indexDirectory() {
        return null;
    }

    /**
     * The directories whose entries change when this mailbox's messages do (for Maildir: {@code new/} and
     * {@code cur/}), so that changes by other programs can be noticed as they happen; empty when the
     * driver knows none.
     */
    default List<Path> watchedDirectories() {
        return List.of();
    }

    /**
     * POP3 UIDLs that an earlier server kept with the messages (for Maildir: the {@code P} field
     * of Dovecot's {@code dovecot-uidlist} records), keyed by {@link StoredMessage#key()}; messages
     * without one are absent. Read from the driver's bookkeeping, never from a message file.
     * A client migrating from that server must see the same UIDLs, so they win over any format.
     */
    default Map<String, String> pop3Uidls() throws IOException {
        return Map.of();
    }

    /**
     * The mailbox's GUID (for Maildir: the {@code G} field of dovecot-uidlist's header, made when missing), which
     * stays with the mailbox through a RENAME and is new for a mailbox created anew; null when the storage keeps
     * no GUIDs (then {@link #messageGuids()} means nothing either).
     */
    default String guid() throws IOException {
        return null;
    }

    /**
     * The GUIDs of the messages that have one apart from their {@link StoredMessage#key() key} (for Maildir: the
     * {@code G} fields of dovecot-uidlist's records, which a copy gets to keep its source's GUID), keyed by key;
     * every other message's GUID is its key, as in Dovecot (its base file name). Read from the driver's
     * bookkeeping, never from a message file.
     */
    default Map<String, String> messageGuids() throws IOException {
        return Map.of();
    }

    /**
     * When the message was saved in this mailbox (RFC 8514: an APPEND, a delivery, the copy of a COPY or MOVE),
     * unchanged while it stays here; null when the storage does not keep it. May be the message's internal date
     * where the storage cannot tell better, so {@link StoredMessage#UNKNOWN_DATE} when that is not looked up yet.
     */
    default Instant saveDate(StoredMessage message) throws IOException {
        return null;
    }

    /**
     * The raw bytes as stored.
     *
     * @throws MessageNotFoundException if the message is gone (expunged elsewhere)
     */
    InputStream open(StoredMessage message) throws IOException;

    /**
     * The raw bytes as stored, for a reader of the header alone (ENVELOPE, SORT, THREAD), who stops at the
     * empty line that ends it: at least the header and that line, at most the whole message (the default).
     * A storage that reads a message in pieces (mbox) then reads no body.
     *
     * @throws MessageNotFoundException if the message is gone (expunged elsewhere)
     */
    default InputStream openHeader(StoredMessage message) throws IOException {
        return open(message);
    }

    /**
     * The message with what its file tells without being read, where a {@link #scan} left it unknown
     * ({@link StoredMessage#UNKNOWN_DATE}, {@link StoredMessage#UNKNOWN_SIZE}): its internal date, its
     * physical size, and the virtual size the storage's bookkeeping states for it, if that fits the file.
     * Costs a file's metadata (for Maildir, a {@code stat}), never its content.
     *
     * @throws MessageNotFoundException if the message is gone (expunged elsewhere), or is no regular file
     */
    default StoredMessage stat(StoredMessage message) throws IOException {
        return message;
    }

    /**
     * Keeps the bytes of a message about to be expunged readable until the hold is closed, or
     * returns null when this storage cannot (then a session that still shows the message after its
     * expunge cannot read it).
     *
     * @throws MessageNotFoundException if the message is gone already
     */
    default HeldMessage hold(StoredMessage message) throws IOException {
        return null;
    }

    /**
     * Closes the files this mailbox keeps open between calls (a Maildir's uid list, an mbox file), to give their
     * descriptors back; the next call that needs one opens it again. False when a call is under way, which keeps
     * them. A storage that keeps no file open between calls has nothing to close.
     */
    default boolean releaseFiles() {
        return true;
    }

    /**
     * Stores a new message; its bytes are kept exactly as given.
     *
     * @throws InvalidKeywordException if a keyword is malformed or no more keywords fit
     */
    default StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords,
                                 Instant internalDate) throws IOException {
        return append(data, flags, keywords, internalDate, Admission.ANY);
    }

    /**
     * Stores a new message if {@code admission} lets it in once its size is known; a refused message never
     * becomes visible.
     */
    default StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords, Instant internalDate,
                                 Admission admission) throws IOException {
        var prepared = prepare(data, internalDate);
        try {
            admission.admit(prepared.size(), 1);
            return commit(List.of(new PreparedMessage.Addition(prepared, flags, keywords))).getFirst();
        } finally {
            discard(prepared);
        }
    }

    /**
     * Writes a message's bytes, durably, where no reader of the mailbox sees them yet; cheap to run
     * concurrently, as it takes no lock of the mailbox. {@link #commit} or {@link #discard} follows.
     */
    PreparedMessage prepare(InputStream data, Instant internalDate) throws IOException;

    /**
     * Prepares a copy of {@code message} of {@code source} (a hard link where the store allows), keeping its
     * internal date.
     *
     * @throws MessageNotFoundException if the message is gone
     */
    PreparedMessage prepareCopy(MailboxStore source, StoredMessage message) throws IOException;

    /**
     * Makes the prepared messages part of the mailbox, all or none, with ascending UIDs in the order given;
     * durable when it returns. One commit of many messages costs about what one of one message costs.
     *
     * @throws InvalidKeywordException if a keyword is malformed or no more keywords fit
     * @throws MessageNotFoundException if the message a copy was prepared from is gone
     */
    List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException;

    /**
     * {@link #commit} where all or none must hold across a crash too (a kill -9 in the middle leaves none of them
     * visible afterwards), as one APPEND of several messages needs (RFC 3502). Drivers whose commit is one
     * journaled change of a file already are.
     */
    default List<StoredMessage> commitTogether(List<PreparedMessage.Addition> additions) throws IOException {
        return commit(additions);
    }

    /** Removes what {@link #prepare} wrote, unless it was committed; never fails. */
    void discard(PreparedMessage prepared);

    /**
     * Replaces the flags and keywords of a message.
     *
     * @return the message with its new flags
     * @throws MessageNotFoundException if the message is gone (expunged elsewhere)
     * @throws InvalidKeywordException if a keyword is malformed or no more keywords fit
     */
    StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException;

    /** New flags and keywords for one message, as {@link #setFlags(List)} takes them. */
    record FlagUpdate(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords) {
    }

    /**
     * Replaces the flags and keywords of several messages at once (a STORE over a range): a storage
     * that can make them durable together (one rewrite of a file, one transaction) overrides this.
     *
     * @return the updated messages, in the order given; messages gone meanwhile are left out
     * @throws InvalidKeywordException if a keyword is malformed or no more keywords fit (nothing is changed)
     */
    default List<StoredMessage> setFlags(List<FlagUpdate> updates) throws IOException {
        var updated = new ArrayList<StoredMessage>(updates.size());
        for (var update : updates) {
            try {
                updated.add(setFlags(update.message(), update.flags(), update.keywords()));
            } catch (MessageNotFoundException gone) {
                // expunged meanwhile: left out
            }
        }
        return updated;
    }

    /**
     * {@link #setFlags(List)} for updates made from the messages as they were at {@code seenModseq}, where the storage
     * {@link #allocatesModseqs() allocates the MODSEQs} and other servers write too: when another server changed one
     * of them after {@code seenModseq}, none is changed, so that no update undoes a change it did not see. Other
     * storages have no such writers and ignore it.
     *
     * @throws ConcurrentChangeException if one of the messages changed after {@code seenModseq}
     */
    default List<StoredMessage> setFlags(List<FlagUpdate> updates, long seenModseq) throws IOException {
        return setFlags(updates);
    }

    /**
     * A parsed structure as the storage keeps it for every server: {@code encoded} as
     * {@link org.roost.mail.mime.StructureCodec} writes it, {@code detail} 0 for the header alone, 1 for the whole
     * MIME structure, 2 for that with its preview.
     */
    record KeptStructure(int detail, byte[] encoded) {}

    /**
     * The structures the storage keeps for every server that serves it (a database shared by replicas): that of
     * {@code message} if kept, and those of some messages after it, read at once, by UID. Empty where the storage
     * keeps none (the index keeps its own beside it).
     */
    default Map<Long, KeptStructure> keptStructures(StoredMessage message) throws IOException {
        return Map.of();
    }

    /** Keeps {@code message}'s structure for every server, unless one of more detail is kept already. */
    default void keepStructure(StoredMessage message, KeptStructure structure) throws IOException {
    }

    /** Removes the messages; ones already gone are ignored. */
    void expunge(Collection<StoredMessage> messages) throws IOException;

    /**
     * Copies messages into {@code target} keeping flags, keywords and internal date.
     *
     * @return the copies, in the order of {@code messages}
     * @throws MessageNotFoundException if a source message is gone; nothing is then copied
     */
    default List<StoredMessage> copyTo(MailboxStore target, List<StoredMessage> messages) throws IOException {
        return copyTo(target, messages, Admission.ANY);
    }

    /**
     * {@link #copyTo(MailboxStore, List)} if {@code admission} lets all the copies in; else nothing is copied. By
     * default each copy is {@link #prepareCopy prepared} by the target and all are committed there at once.
     */
    default List<StoredMessage> copyTo(MailboxStore target, List<StoredMessage> messages, Admission admission)
            throws IOException {
        admission.admitCopies(messages);
        var additions = new ArrayList<PreparedMessage.Addition>(messages.size());
        try {
            for (var message : messages) {
                additions.add(new PreparedMessage.Addition(target.prepareCopy(this, message), message.flags(),
                        message.keywords()));
            }
            return target.commit(additions);
        } finally {
            additions.forEach(addition -> target.discard(addition.message()));
        }
    }
}
