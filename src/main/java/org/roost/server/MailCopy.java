package org.roost.server;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.roost.index.IndexedModseqs;
import org.roost.mail.Keywords;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/**
 * {@code roost migrate}'s copy of one mailbox from one store to another under the same UIDVALIDITY and UIDs, with
 * flags, keywords, internal dates and, where the target keeps them as given, save dates
 * ({@link MailboxStore#commitUnder}). Messages go in batches, each committed all
 * or none, and the UIDs the target has already are skipped: a run killed at any point is finished by running it
 * again (a batch it did not commit leaves at most bodies nobody refers to, which the target's cleanup takes).
 */
final class MailCopy {
    private static final System.Logger LOG = System.getLogger(MailCopy.class.getName());
    private static final int BATCH_MESSAGES = 100;
    private static final long BATCH_BYTES = 32L << 20;
    /** Keywords one message may carry in any store (the database's limit). */
    private static final int MAX_KEYWORDS = 128;

    private final MailboxStore source;
    private final MailboxStore target;
    private final List<Long> uids = new ArrayList<>();
    private final List<Instant> saveDates = new ArrayList<>();
    private final List<PreparedMessage.Addition> additions = new ArrayList<>();
    private long uidNext;
    private long bytes;
    private long copied;

    private MailCopy(MailboxStore source, MailboxStore target) {
        this.source = source;
        this.target = target;
    }

    /** Copies {@code source} into mailbox {@code name} of {@code to} (made if missing); returns how many it copied. */
    static long copy(MailboxStore source, MailStore to, String name) throws IOException {
        if (!to.exists(name)) {
            to.create(name);
        }
        var copy = new MailCopy(source, to.mailbox(name));
        copy.run();
        return copy.copied;
    }

    private void run() throws IOException {
        var messages = source.scan();
        uidNext = Math.max(source.nextUid(), messages.isEmpty() ? 1 : messages.getLast().uid() + 1);
        commit(); // UIDVALIDITY and UIDNEXT first: mail delivered meanwhile gets UIDs above the migrated ones
        IndexedModseqs.carry(source, target); // MODSEQs above what the source's clients may hold
        var present = new HashSet<Long>();
        target.scan().forEach(m -> present.add(m.uid()));
        for (var message : messages) {
            if (!present.contains(message.uid())) {
                add(message.fileStatusKnown() ? message : source.stat(message));
            }
        }
        commit();
    }

    private void add(StoredMessage message) throws IOException {
        PreparedMessage prepared;
        try (var in = source.open(message)) {
            prepared = target.prepare(in, message.internalDate());
        }
        additions.add(new PreparedMessage.Addition(prepared, message.flags(), keywords(message)));
        uids.add(message.uid());
        saveDates.add(source.saveDate(message));
        bytes += message.physicalSize();
        if (additions.size() == BATCH_MESSAGES || bytes >= BATCH_BYTES) {
            commit();
        }
    }

    /** Commits the batch (or with none, only what the mailbox adopts); the prepared files go either way. */
    private void commit() throws IOException {
        try {
            target.commitUnder(source.uidValidity(), uidNext, uids.stream().mapToLong(Long::longValue).toArray(),
                    saveDates, additions);
            copied += additions.size();
        } finally {
            additions.forEach(a -> target.discard(a.message()));
            uids.clear();
            saveDates.clear();
            additions.clear();
            bytes = 0;
        }
    }

    /** The keywords IMAP can name (another program's files may hold others), at most as many as any store keeps. */
    private Set<String> keywords(StoredMessage message) {
        var kept = message.keywords().stream().filter(Keywords::isValid).limit(MAX_KEYWORDS)
                .collect(Collectors.toSet());
        if (kept.size() < message.keywords().size()) {
            LOG.log(System.Logger.Level.WARNING, "{0} UID {1}: keywords left out: {2}", source.name(), message.uid(),
                    message.keywords().stream().filter(k -> !kept.contains(k)).toList());
        }
        return kept;
    }
}
