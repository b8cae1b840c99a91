package org.roost.index;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.OverQuotaException;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaUsage;
import org.roost.mail.StorageException;
import org.roost.storage.Admission;
import org.roost.storage.QuotaStore;

/**
 * Quota accounting over every path into the store: one quota root per user, limits from an administrator's
 * override, else from the {@link Policy} (the user database, else the configured default), usage kept by the
 * store ({@link QuotaStore}). Each addition is admitted against the usage plus what other additions in
 * flight have been admitted for, so that concurrent deliveries cannot together pass a limit; warnings go out
 * once each time a threshold is crossed upward. Users without limits cost nothing: nothing is counted.
 */
public final class Quotas {
    private static final System.Logger LOG = System.getLogger(Quotas.class.getName());
    /** The message a refused client or MTA sees (Dovecot's {@code quota_exceeded_message}). */
    public static final String EXCEEDED = "Quota exceeded (mailbox for user is full)";

    /** Where a user's limits come from when no administrator set any. */
    @FunctionalInterface
    public interface Policy {
        QuotaLimit limit(String user) throws IOException;
    }

    /** Where a user's quota bookkeeping lives. */
    @FunctionalInterface
    public interface Stores {
        QuotaStore of(String user) throws IOException;
    }

    /** An upward crossing of a warning threshold: {@code percent} of the limit of {@code resource}. */
    public record Warning(String user, String resource, int percent, QuotaUsage usage, QuotaLimit limit) {}

    /** Told about each crossing, after the addition that crossed is durable. */
    @FunctionalInterface
    public interface Warnings {
        void crossed(Warning warning);
    }

    /** Limits and usage of a user, and where the limits come from ({@code admin}, {@code policy}). */
    public record Report(QuotaLimit limit, QuotaUsage usage, String source) {}

    /** No limits for anyone and nothing counted (tools, tests). */
    public static Quotas unlimited() {
        return new Quotas(user -> QuotaLimit.NONE, user -> NOTHING_KEPT, List.of(), warning -> { });
    }

    /** Keeps no usage and no limits of its own. */
    private static final QuotaStore NOTHING_KEPT = new QuotaStore() {
        @Override
        public QuotaUsage usage(QuotaLimit limit) {
            return QuotaUsage.ZERO;
        }

        @Override
        public QuotaUsage record(QuotaLimit limit, long bytes, long messages) {
            return QuotaUsage.ZERO;
        }

        @Override
        public QuotaUsage recalculate(QuotaLimit limit) {
            return QuotaUsage.ZERO;
        }

        @Override
        public Optional<QuotaLimit> override() {
            return Optional.empty();
        }

        @Override
        public void override(Optional<QuotaLimit> limit) throws IOException {
            throw new IOException("this store keeps no quota");
        }
    };

    private final Policy policy;
    private final Stores stores;
    private final List<Integer> thresholds;
    private volatile Warnings warnings;
    private final ConcurrentHashMap<String, Account> accounts = new ConcurrentHashMap<>();
    private final LongAdder refusals = new LongAdder();

    /** {@code thresholds}: warning percentages, highest first or in any order. */
    public Quotas(Policy policy, Stores stores, List<Integer> thresholds, Warnings warnings) {
        this.policy = policy;
        this.stores = stores;
        this.thresholds = thresholds.stream().sorted((a, b) -> b - a).toList();
        this.warnings = warnings;
    }

    /** Where warnings go from now on (the server wires delivery in after building the index). */
    public void warnings(Warnings warnings) {
        this.warnings = warnings;
    }

    /** The limits in force for {@code user}. */
    public QuotaLimit limit(String user) throws IOException {
        var store = stores.of(user);
        var override = store.override();
        return override.isPresent() ? override.get() : policy.limit(user);
    }

    public Report report(String user) throws IOException {
        var store = stores.of(user);
        var override = store.override();
        var limit = override.isPresent() ? override.get() : policy.limit(user);
        return new Report(limit, store.usage(limit), override.isPresent() ? "admin" : "policy");
    }

    /** Sets or (empty) removes the administrator's limits of {@code user}; the usage is counted afresh. */
    public Report override(String user, Optional<QuotaLimit> limit) throws IOException {
        var store = stores.of(user);
        store.override(limit);
        var effective = limit.isPresent() ? limit.get() : policy.limit(user);
        return new Report(effective, store.recalculate(effective), limit.isPresent() ? "admin" : "policy");
    }

    /** Additions refused for being over quota since start (a meter). */
    public long refusals() {
        return refusals.sum();
    }

    /** An admission for additions to {@code user}'s mail that may be refused for being over quota. */
    public Ticket ticket(String user) {
        return new Ticket(user, false);
    }

    /**
     * An admission that counts but never refuses: the server's own notices (quota warnings), and moves within
     * one user's mail, which add nothing in the end (RFC 9208 §4.3.1 refuses additions only).
     */
    public Ticket exemptTicket(String user) {
        return new Ticket(user, true);
    }

    /** Records that messages of {@code user} were removed. */
    public void removed(String user, long bytes, long messages) throws IOException {
        var limit = limit(user);
        if (limit.limited() && messages > 0) {
            stores.of(user).record(limit, -bytes, -messages);
        }
    }

    /**
     * Lets additions in while they fit (see {@link Admission}), then, once they are stored,
     * {@link #commit() records} them; closing without a commit gives back what was admitted.
     */
    public final class Ticket implements Admission, AutoCloseable {
        private final String user;
        private final boolean exempt;
        private Account account;
        private QuotaLimit limit;
        private long bytes;
        private long messages;

        private Ticket(String user, boolean exempt) {
            this.user = user;
            this.exempt = exempt;
        }

        @Override
        public void admit(long addedBytes, int addedMessages) throws StorageException {
            admitReplacing(addedBytes, addedMessages, 0, 0);
        }

        /**
         * {@link #admit} of additions that replace messages about to be removed (REPLACE, RFC 8508 §3.4): judged by
         * what they add net of the {@code freed} bytes and messages, recorded whole (the removal is recorded by
         * itself, like every expunge).
         */
        public void admitReplacing(long addedBytes, int addedMessages, long freedBytes, int freedMessages)
                throws StorageException {
            try {
                if (limit == null) {
                    limit = limit(user);
                }
                if (!limit.limited()) {
                    return;
                }
                if (account == null) {
                    account = accounts.computeIfAbsent(user, u -> new Account());
                }
                account.reserve(stores.of(user), limit, new Amount(addedBytes, addedMessages),
                        new Amount(addedBytes - freedBytes, addedMessages - freedMessages), exempt);
            } catch (OverQuotaException e) {
                refusals.increment();
                throw e;
            } catch (IOException e) {
                throw new QuotaUnavailable(e);
            }
            bytes += addedBytes;
            messages += addedMessages;
        }

        /**
         * The admitted additions are stored: they are recorded, and a threshold they crossed is reported. The
         * additions stand even when the record cannot be written (it is derived data: the next recalculation
         * counts them), so this never fails.
         */
        public void commit() {
            if (account == null || messages == 0) {
                return;
            }
            long addedBytes = bytes;
            long addedMessages = messages;
            bytes = 0;
            messages = 0;
            try {
                var after = account.commit(stores.of(user), limit, addedBytes, addedMessages);
                crossed(after.plus(-addedBytes, -addedMessages), after).ifPresent(warnings::crossed);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "{0}: cannot record a quota change ({1}); recounted later",
                        user, e.getMessage());
            }
        }

        private Optional<Warning> crossed(QuotaUsage before, QuotaUsage after) {
            for (int percent : thresholds) {
                if (crosses(limit.storage(), percent, before.storage(), after.storage())) {
                    return Optional.of(new Warning(user, "storage", percent, after, limit));
                }
                if (crosses(limit.messages(), percent, before.messages(), after.messages())) {
                    return Optional.of(new Warning(user, "messages", percent, after, limit));
                }
            }
            return Optional.empty();
        }

        @Override
        public void close() {
            if (account != null && messages != 0) {
                account.release(bytes, messages);
                bytes = 0;
                messages = 0;
            }
        }
    }

    private static boolean crosses(long limit, int percent, long before, long after) {
        if (limit <= 0) {
            return false;
        }
        double threshold = limit * (percent / 100.0);
        return before < threshold && after >= threshold;
    }

    /** The quota bookkeeping could not be read: not the user's fault, so a temporary failure. */
    public static final class QuotaUnavailable extends StorageException {
        QuotaUnavailable(IOException cause) {
            super("quota unavailable: " + cause.getMessage());
            initCause(cause);
        }
    }

    /** One user's additions in flight, so that concurrent ones are admitted against each other too. */
    /** Bytes and messages a change adds. */
    private record Amount(long bytes, long messages) {}

    private static final class Account {
        private final ReentrantLock lock = new ReentrantLock();
        private long pendingBytes;
        private long pendingMessages;

        /** Reserves {@code added} if {@code judged} (the same, or net of what is freed) fits. */
        void reserve(QuotaStore store, QuotaLimit limit, Amount added, Amount judged, boolean exempt)
                throws IOException {
            lock.lock();
            try {
                var usage = store.usage(limit).plus(pendingBytes, pendingMessages);
                if (!exempt && limit.exceededBy(usage, judged.bytes(), judged.messages())) {
                    throw new OverQuotaException(EXCEEDED);
                }
                pendingBytes += added.bytes();
                pendingMessages += added.messages();
            } finally {
                lock.unlock();
            }
        }

        QuotaUsage commit(QuotaStore store, QuotaLimit limit, long bytes, long messages) throws IOException {
            lock.lock();
            try {
                pendingBytes -= bytes;
                pendingMessages -= messages;
                return store.record(limit, bytes, messages);
            } finally {
                lock.unlock();
            }
        }

        void release(long bytes, long messages) {
            lock.lock();
            try {
                pendingBytes -= bytes;
                pendingMessages -= messages;
            } finally {
                lock.unlock();
            }
        }
    }
}
