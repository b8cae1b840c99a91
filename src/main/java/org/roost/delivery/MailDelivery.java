package org.roost.delivery;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.System.Logger.Level;
import java.nio.file.FileSystemException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.roost.config.RoostConfig;
import org.roost.index.Quotas;
import org.roost.mail.MessageNotFoundException;
import org.roost.mail.Keywords;
import org.roost.mail.OverQuotaException;
import org.roost.mail.SystemFlag;
import org.roost.sieve.Action;
import org.roost.sieve.SieveFilter;
import org.roost.sieve.StoreJournal;

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

        /** The recipient's Sieve script stored no copy (discard, or redirect without a copy). */
        record Filtered() implements Outcome {}

        /** The recipient's Sieve script refused the message (reject, ereject; RFC 5429) with this reason. */
        record Rejected(String reason) implements Outcome {}

        record OverQuota() implements Outcome {}

        /** A temporary failure: the store failed ({@code noSpace}: a full disk), nothing was delivered. */
        record Failed(String reason, boolean noSpace) implements Outcome {}
    }

    private final KnownUsers users;
    private final MailboxAccess mailboxes;
    private final Quotas quotas;
    private final Options options;
    private final Optional<SieveFilter> sieve;

    /** {@code sieve}: run each recipient's Sieve scripts (empty: every message goes where it is addressed). */
    public MailDelivery(KnownUsers users, MailboxAccess mailboxes, Quotas quotas, Options options,
            Optional<SieveFilter> sieve) {
        this.users = users;
        this.mailboxes = mailboxes;
        this.quotas = quotas;
        this.options = options;
        this.sieve = sieve;
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
     * Starts delivering one message from {@code sender} (null: the null sender, or unknown): {@code headers} (trace
     * fields common to every recipient) are written before the spooled bytes, which are complete.
     */
    public Transaction begin(MessageSpool message, byte[] headers, Instant received, MailAddress sender)
            throws IOException {
        message.finish();
        return new Transaction(message, headers, received, sender == null ? "" : sender.toString());
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
        private final String sender;
        /** The copy the next recipients get a link to; null until one is stored. */
        private volatile MailboxAccess.Placed source;

        private Transaction(MessageSpool message, byte[] headers, Instant received, String sender) {
            this.message = message;
            this.headers = headers;
            this.received = received;
            this.sender = sender;
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

        /**
         * Delivers to one recipient, through their Sieve scripts when there are any; durable when it returns
         * {@link Outcome.Delivered}. Redirects go out before the stores and a vacation reply after them (see
         * {@link SieveFilter}).
         */
        public Outcome deliver(Recipient recipient) {
            try {
                var home = recipient.wantedMailbox() == null ? MailboxAccess.INBOX : recipient.wantedMailbox();
                if (sieve.isEmpty()) {
                    return storeAll(recipient.user(), List.of(new Action.Store(home, Set.of(), false)), home,
                            Optional.empty());
                }
                var filter = sieve.get();
                // deliver without -a: the user is the address, as for dovecot-lda
                var address = recipient.address() == null ? recipient.user() : recipient.address().toString();
                var delivery = new SieveFilter.Delivery(recipient.user(), sender, address, this::content,
                        headers.length + message.size());
                var verdict = filter.decide(delivery, this::exists);
                if (verdict.rejection().isPresent()) {
                    return new Outcome.Rejected(verdict.rejection().get());
                }
                var stores = filter.redirect(verdict, delivery);
                var journal = stores.size() > 1 ? filter.journal(delivery, message::open) : Optional.<StoreJournal>empty();
                var outcome = stores.isEmpty() ? new Outcome.Filtered()
                        : storeAll(recipient.user(), stores, home, journal);
                filter.respond(verdict, delivery);
                return outcome;
            } catch (OverQuotaException e) {
                return new Outcome.OverQuota();
            } catch (IOException | RuntimeException e) {
                boolean noSpace = noSpace(e);
                LOG.log(noSpace || e instanceof IOException ? Level.WARNING : Level.ERROR,
                        "delivery to " + recipient.user() + " failed: " + e, e instanceof IOException ? null : e);
                return new Outcome.Failed(e.getMessage(), noSpace);
            }
        }

        private boolean exists(String user, String mailbox) {
            try {
                return mailbox.equalsIgnoreCase(MailboxAccess.INBOX)
                        || mailboxes.mailboxFor(user, mailbox, false).equals(mailbox);
            } catch (IOException e) {
                return false;
            }
        }

        /**
         * Stores the message in each mailbox ({@code INBOX} from a keep means {@code home}, the mailbox the address
         * asked for), but for the stores {@code journal} says this delivery made before it was cut short; the outcome
         * names the first.
         */
        private Outcome storeAll(String user, List<Action.Store> stores, String home, Optional<StoreJournal> journal)
                throws IOException {
            var madeBefore = new ArrayList<>(journal.map(StoreJournal::made).orElse(List.of()));
            Outcome.Delivered first = null;
            MailboxAccess.Placed placed = null;
            for (var store : stores) {
                var wanted = store.mailbox().equalsIgnoreCase(MailboxAccess.INBOX) ? home : store.mailbox();
                var mailbox = mailboxes.mailboxFor(user, wanted, options.autocreateMailbox() || store.create());
                var earlier = madeBefore.stream().filter(made -> made.mailbox().equals(mailbox)).findFirst();
                long uid;
                if (earlier.isPresent()) {
                    madeBefore.remove(earlier.get());
                    uid = earlier.get().uid();
                    LOG.log(Level.INFO, "delivery to {0}: {1} already has this message (UID {2}) from a delivery cut "
                            + "short", user, mailbox, uid);
                } else {
                    placed = store(user, mailbox, flags(store.flags()), placed);
                    if (source == null && placed.carries(MailboxAccess.Flags.NONE)) {
                        source = placed;
                    }
                    uid = placed.message().uid();
                    journal.ifPresent(j -> j.record(mailbox, uid));
                }
                if (first == null) {
                    first = new Outcome.Delivered(mailbox, uid);
                }
            }
            return first;
        }

        /**
         * A link to an earlier copy with the same flags when there is one (this recipient's last, or an earlier
         * recipient's, and it was not expunged meanwhile), else the message written again.
         */
        private MailboxAccess.Placed store(String user, String mailbox, MailboxAccess.Flags flags,
                MailboxAccess.Placed own) throws IOException {
            for (var linked : new MailboxAccess.Placed[] {own, source}) {
                if (linked != null && linked.carries(flags)) {
                    try {
                        return mailboxes.copy(linked, user, mailbox);
                    } catch (MessageNotFoundException expungedMeanwhile) {
                        LOG.log(Level.DEBUG, "the first copy went meanwhile; writing the message again");
                    }
                }
            }
            return mailboxes.append(user, mailbox, content(), received, flags);
        }

        private InputStream content() throws IOException {
            return new SequenceInputStream(new ByteArrayInputStream(headers), message.open());
        }
    }

    /** Sieve's flags (RFC 5232) as the store keeps them; a keyword the store cannot have is left out. */
    static MailboxAccess.Flags flags(Set<String> names) {
        if (names.isEmpty()) {
            return MailboxAccess.Flags.NONE;
        }
        var system = EnumSet.noneOf(SystemFlag.class);
        var keywords = new TreeSet<String>();
        for (var name : names) {
            var flag = SystemFlag.fromImapName(name);
            if (flag.isPresent()) {
                system.add(flag.get());
            } else if (!name.startsWith("\\") && Keywords.isValid(name)) {
                keywords.add(name);
            }
        }
        return new MailboxAccess.Flags(Set.copyOf(system), Set.copyOf(keywords));
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
