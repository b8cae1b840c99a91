package org.roost.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.LinkedHashSet;
import java.util.List;
import org.roost.config.RoostConfig;
import org.roost.index.Quotas;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.OverQuotaException;

/**
 * Delivers received messages to users' mailboxes, for LMTP and {@code roost deliver} alike: finds the user
 * of an address ({@code user+detail@domain} delivers to {@code user}, into the mailbox {@code detail} when
 * so configured), writes the message once for the first recipient, and gives every further recipient of the
 * same message a hard link to that file. Each delivery is durable before its outcome is returned.
 */
public final class MailDelivery {
    private static final System.Logger LOG = System.getLogger(MailDelivery.class.getName());

    /**
     * {@code recipientDelimiter}: characters that separate a user from a detail (empty: none);
     * {@code saveToDetailMailbox}: deliver to the mailbox named by the detail; {@code autocreateMailbox}:
     * create a missing target mailbox rather than use INBOX.
     */
    public record Options(String recipientDelimiter, boolean saveToDetailMailbox, boolean autocreateMailbox) {
        public static Options of(RoostConfig.Delivery delivery) {
            return new Options(delivery.recipientDelimiter(), delivery.saveToDetailMailbox(),
                    delivery.autocreateMailbox());
        }
    }

    /** What became of an address: a user to deliver to, no such user, or a database that cannot tell now. */
    public sealed interface Resolution {
        record Found(Recipient recipient) implements Resolution {}

        record Unknown() implements Resolution {}

        record Unavailable(String reason) implements Resolution {}
    }

    /** What became of one recipient's delivery. */
    public sealed interface Outcome {
        record Delivered(String mailbox, long uid) implements Outcome {}

        record OverQuota() implements Outcome {}

        /** A temporary failure: the store failed ({@code noSpace}: a full disk), nothing was delivered. */
        record Failed(String reason, boolean noSpace) implements Outcome {}
    }

    private final KnownUsers users;
    private final MailboxAccess mailboxes;
    private final Quotas quotas;
    private final Options options;

    public MailDelivery(KnownUsers users, MailboxAccess mailboxes, Quotas quotas, Options options) {
        this.users = users;
        this.mailboxes = mailboxes;
        this.quotas = quotas;
        this.options = options;
    }

    /**
     * The user of an envelope address: the address without its detail, then its local part alone (for user
     * databases without domains), each as given and then in lower case, as Dovecot's {@code %Lu} does.
     */
    public Resolution resolve(MailAddress address) {
        var local = address.split(options.recipientDelimiter());
        var names = new LinkedHashSet<String>();
        if (!address.domain().isEmpty()) {
            names.add(local.user() + "@" + address.domain());
        }
        names.add(local.user());
        for (var name : List.copyOf(names)) {
            names.add(name.toLowerCase(java.util.Locale.ROOT));
        }
        try {
            for (var name : names) {
                if (users.exists(name)) {
                    var mailbox = options.saveToDetailMailbox() && !local.detail().isEmpty() ? local.detail() : null;
                    return new Resolution.Found(new Recipient(address, name, mailbox));
                }
            }
            return new Resolution.Unknown();
        } catch (KnownUsers.Unavailable e) {
            return new Resolution.Unavailable(e.getMessage());
        }
    }

    /** The user named by {@code deliver -d}, delivering to {@code mailbox} (null: INBOX). */
    public Resolution resolveUser(String user, MailAddress address, String mailbox) {
        try {
            return users.exists(user) ? new Resolution.Found(new Recipient(address, user, mailbox))
                    : new Resolution.Unknown();
        } catch (KnownUsers.Unavailable e) {
            return new Resolution.Unavailable(e.getMessage());
        }
    }

    /** Whether {@code bytes} more would still fit in the user's quota (a check at RCPT, before any data). */
    public boolean fits(String user, long bytes) {
        try (var ticket = quotas.ticket(user)) {
            ticket.admit(bytes, 1);
            return true;
        } catch (OverQuotaException e) {
            return false;
        } catch (IOException e) {
            return true; // the delivery itself will tell
        }
    }

    /**
     * Starts delivering one message: {@code headers} (trace fields common to every recipient) are written
     * before the spooled bytes, which are complete.
     */
    public Transaction begin(MessageSpool message, byte[] headers, Instant received) throws IOException {
        message.finish();
        return new Transaction(message, headers, received);
    }

    /** Hears each recipient's outcome, in the recipients' order. */
    @FunctionalInterface
    public interface OutcomeListener {
        void outcome(Recipient recipient, Outcome outcome) throws IOException;
    }

    /** One message on its way to its recipients, written once and linked for the others. */
    public final class Transaction {
        /** Links made at once for one message: their mailboxes' fsyncs overlap. */
        private static final int PARALLEL_LINKS = 32;
        private final MessageSpool message;
        private final byte[] headers;
        private final Instant received;
        /** The copy the next recipients get a link to; null until one is stored. */
        private volatile MailboxAccess.Placed source;

        private Transaction(MessageSpool message, byte[] headers, Instant received) {
            this.message = message;
            this.headers = headers;
            this.received = received;
        }

        /**
         * Delivers to every recipient: in order until one copy is stored, then links for all the others side by
         * side (each recipient's mailbox needs its own fsyncs, and the file system commits concurrent ones
         * together). {@code listener} hears each outcome in recipient order as soon as it and those before it
         * are known (RFC 2033 §4.2).
         */
        public void deliverAll(List<Recipient> recipients, OutcomeListener listener) throws IOException {
            int next = 0;
            while (next < recipients.size() && source == null) {
                var recipient = recipients.get(next++);
                listener.outcome(recipient, deliver(recipient));
            }
            var rest = recipients.subList(next, recipients.size());
            if (rest.isEmpty()) {
                return;
            }
            var turns = new Semaphore(PARALLEL_LINKS);
            try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
                var outcomes = new ArrayList<Future<Outcome>>(rest.size());
                for (var recipient : rest) {
                    outcomes.add(executor.submit(() -> {
                        turns.acquire();
                        try {
                            return deliver(recipient);
                        } finally {
                            turns.release();
                        }
                    }));
                }
                for (int i = 0; i < rest.size(); i++) {
                    listener.outcome(rest.get(i), outcome(outcomes.get(i)));
                }
            }
        }

        private static Outcome outcome(Future<Outcome> future) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Outcome.Failed("interrupted", false);
            } catch (ExecutionException e) {
                return new Outcome.Failed(String.valueOf(e.getCause()), false);
            }
        }

        /** Delivers to one recipient; durable when it returns {@link Outcome.Delivered}. */
        public Outcome deliver(Recipient recipient) {
            try {
                var wanted = recipient.wantedMailbox() == null ? MailboxAccess.INBOX : recipient.wantedMailbox();
                var mailbox = mailboxes.mailboxFor(recipient.user(), wanted, options.autocreateMailbox());
                var stored = store(recipient.user(), mailbox);
                if (source == null) {
                    source = stored;
                }
                return new Outcome.Delivered(mailbox, stored.message().uid());
            } catch (OverQuotaException e) {
                return new Outcome.OverQuota();
            } catch (IOException | RuntimeException e) {
                boolean noSpace = noSpace(e);
                LOG.log(noSpace || e instanceof IOException ? Level.WARNING : Level.ERROR,
                        "delivery to " + recipient.user() + " failed: " + e, e instanceof IOException ? null : e);
                return new Outcome.Failed(e.getMessage(), noSpace);
            }
        }

        /** A link to the file of an earlier recipient when there is one (and it was not expunged meanwhile). */
        private MailboxAccess.Placed store(String user, String mailbox) throws IOException {
            var linked = source;
            if (linked != null) {
                try {
                    return mailboxes.copy(linked, user, mailbox);
                } catch (MessageNotFoundException expungedMeanwhile) {
                    LOG.log(Level.DEBUG, "the first copy went meanwhile; writing the message again");
                }
            }
            return mailboxes.append(user, mailbox, content(), received);
        }

        private InputStream content() throws IOException {
            return new SequenceInputStream(new ByteArrayInputStream(headers), message.open());
        }
    }

    /** ENOSPC and EDQUOT, as the JDK words them. */
    private static boolean noSpace(Throwable e) {
        for (var t = e; t != null; t = t.getCause()) {
            var text = t instanceof FileSystemException fs ? fs.getReason() : t.getMessage();
            if (text != null && (text.contains("No space left") || text.contains("Disk quota exceeded"))) {
                return true;
            }
        }
        return false;
    }
}
