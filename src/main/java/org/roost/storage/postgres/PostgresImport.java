package org.roost.storage.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.roost.mail.Keywords;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;

/**
 * {@code roost migrate}'s way into the database store: mailboxes of another store (Maildir, mbox) each under its
 * UIDVALIDITY and each message under its UID, with its flags, keywords and internal date. Messages go in batches,
 * each one transaction (all or none), and a run skips the UIDs that are in already: a run killed at any point is
 * resumed by running it again, and the bodies of a batch it did not commit are orphans the collector takes.
 */
public final class PostgresImport {
    private static final System.Logger LOG = System.getLogger(PostgresImport.class.getName());
    private static final int BATCH_MESSAGES = 100;
    private static final long BATCH_BYTES = 32L << 20;
    private final PostgresMailStore target;

    PostgresImport(PostgresMailStore target) {
        this.target = target;
    }

    /** The user's store in the database, for what is copied through the SPI (subscriptions, special uses). */
    public MailStore target() {
        return target;
    }

    /** Copies {@code source} into mailbox {@code name}; returns how many messages it copied (the others were in). */
    public long copyMailbox(MailboxStore source, String name) throws IOException {
        var messages = source.scan();
        long uidNext = Math.max(source.nextUid(), messages.isEmpty() ? 1 : messages.getLast().uid() + 1);
        var mailbox = target.prepareImport(name, source.uidValidity(), uidNext);
        var present = mailbox.uids();
        var batch = new Batch(mailbox);
        for (var message : messages) {
            if (!present.contains(message.uid())) {
                batch.add(source, message);
            }
        }
        batch.commit();
        return batch.copied;
    }

    /** Messages uploaded and not committed yet. */
    private static final class Batch {
        private final PostgresMailbox mailbox;
        private final List<Long> uids = new ArrayList<>();
        private final List<PreparedMessage.Addition> additions = new ArrayList<>();
        private long bytes;
        private long copied;

        Batch(PostgresMailbox mailbox) {
            this.mailbox = mailbox;
        }

        void add(MailboxStore source, StoredMessage listed) throws IOException {
            var message = listed.fileStatusKnown() ? listed : source.stat(listed);
            PreparedMessage prepared;
            try (var in = source.open(message)) {
                prepared = mailbox.prepare(in, message.internalDate());
            }
            additions.add(new PreparedMessage.Addition(prepared, message.flags(), keywords(message)));
            uids.add(message.uid());
            bytes += message.physicalSize();
            if (additions.size() == BATCH_MESSAGES || bytes >= BATCH_BYTES) {
                commit();
            }
        }

        void commit() throws IOException {
            if (additions.isEmpty()) {
                return;
            }
            mailbox.commitUnder(uids.stream().mapToLong(Long::longValue).toArray(), additions);
            copied += additions.size();
            uids.clear();
            additions.clear();
            bytes = 0;
        }

        /** The keywords IMAP can name (another program's files may hold others), at most as many as a message keeps. */
        private Set<String> keywords(StoredMessage message) {
            var kept = message.keywords().stream().filter(Keywords::isValid).limit(PostgresMailbox.MAX_KEYWORDS)
                    .collect(Collectors.toSet());
            if (kept.size() < message.keywords().size()) {
                LOG.log(System.Logger.Level.WARNING, "{0} UID {1}: keywords left out: {2}", mailbox.name(),
                        message.uid(), message.keywords().stream().filter(k -> !kept.contains(k)).toList());
            }
            return kept;
        }
    }
}
