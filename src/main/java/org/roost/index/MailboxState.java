package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.MessageStructure;
import org.roost.storage.MailboxStore;
import org.roost.storage.StoredMessage;

/**
 * The one shared state of an open mailbox: the current {@link MailboxSnapshot}, the writes that
 * change it, and the watchers (sessions in IDLE) told about each change. Every session of every
 * protocol sees the mailbox through this object, via its own view.
 */
public final class MailboxState {
    /** Re-reading the storage on every command would cost a directory scan; this bounds how often. */
    private static final long REFRESH_INTERVAL_NANOS = 250_000_000L;
    private final String user;
    private final String name;
    private final MailboxStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Runnable> watchers = new CopyOnWriteArraySet<>();
    private final StructureCache structures = new StructureCache(2048);
    private volatile MailboxSnapshot current;
    private volatile long lastRefresh;
    private long recentBoundary;

    MailboxState(String user, String name, MailboxStore store) throws IOException {
        this.user = user;
        this.name = name;
        this.store = store;
        this.recentBoundary = store.nextUid();
        publish(store.scan(), true);
    }

    public String user() {
        return user;
    }

    public String name() {
        return name;
    }

    public MailboxSnapshot current() {
        return current;
    }

    /** Picks up changes made outside this server (an MTA, another program); cheap when called often. */
    public MailboxSnapshot refresh(boolean force) throws IOException {
        if (!force && System.nanoTime() - lastRefresh < REFRESH_INTERVAL_NANOS) {
            return current;
        }
        lock.lock();
        try {
            publish(store.scan(), false);
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** The message as clients see it: bare LF line ends turned into CRLF. */
    public InputStream open(StoredMessage message) throws IOException {
        return new CrlfInputStream(store.open(message));
    }

    /** The parsed MIME structure of a message, computed once and shared. */
    public MessageStructure structure(StoredMessage message) throws IOException {
        var cached = structures.get(message.uid());
        if (cached != null) {
            return cached;
        }
        try (var in = open(message)) {
            var parsed = MessageStructure.parse(in);
            structures.put(message.uid(), parsed);
            return parsed;
        }
    }

    public StoredMessage append(InputStream data, Set<SystemFlag> flags, Set<String> keywords, Instant date)
            throws IOException {
        lock.lock();
        try {
            var stored = store.append(data, flags, keywords, date);
            var list = new ArrayList<>(Arrays.asList(current.messages()));
            list.add(stored);
            publish(list, true);
            return stored;
        } finally {
            lock.unlock();
        }
    }

    /** How a {@link FlagChange} combines its flags with the ones the message has. */
    public enum FlagMode { REPLACE, ADD, REMOVE }

    /**
     * A flag change for one message. ADD and REMOVE are applied to the message as it is when the
     * write happens, not as the caller last saw it, so two sessions changing different flags of the
     * same message never undo each other's change (RFC 3501 §6.4.6: +FLAGS/-FLAGS leave the other
     * flags alone).
     */
    public record FlagChange(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords, FlagMode mode) {
        /** Replaces the message's flags and keywords with exactly these. */
        public FlagChange(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords) {
            this(message, flags, keywords, FlagMode.REPLACE);
        }

        Set<SystemFlag> flagsFor(StoredMessage now) {
            var out = EnumSet.noneOf(SystemFlag.class);
            switch (mode) {
                case REPLACE -> out.addAll(flags);
                case ADD -> {
                    out.addAll(now.flags());
                    out.addAll(flags);
                }
                case REMOVE -> {
                    out.addAll(now.flags());
                    out.removeAll(flags);
                }
            }
            return out;
        }

        Set<String> keywordsFor(StoredMessage now) {
            var out = new LinkedHashSet<String>();
            switch (mode) {
                case REPLACE -> out.addAll(keywords);
                case ADD -> {
                    out.addAll(now.keywords());
                    keywords.stream().filter(k -> out.stream().noneMatch(k::equalsIgnoreCase)).forEach(out::add);
                }
                case REMOVE -> {
                    out.addAll(now.keywords());
                    out.removeIf(k -> keywords.stream().anyMatch(k::equalsIgnoreCase));
                }
            }
            return out;
        }
    }

    /** Applies flag changes; messages expunged meanwhile are skipped. Returns the updated messages. */
    public List<StoredMessage> setFlags(List<FlagChange> changes) throws IOException {
        lock.lock();
        try {
            var updated = new ArrayList<StoredMessage>();
            var messages = current.messages().clone();
            for (var change : changes) {
                int i = current.indexOf(change.message().uid());
                if (i < 0) {
                    continue;
                }
                var now = messages[i];
                var flags = change.flagsFor(now);
                var keywords = change.keywordsFor(now);
                if (now.flags().equals(flags) && now.keywords().equals(keywords)) {
                    updated.add(now);
                    continue;
                }
                try {
                    messages[i] = store.setFlags(now, flags, keywords);
                    updated.add(messages[i]);
                } catch (org.roost.storage.MessageNotFoundException gone) {
                    // expunged by another process; the next refresh reports it
                }
            }
            publish(Arrays.asList(messages), true);
            return updated;
        } finally {
            lock.unlock();
        }
    }

    public void expunge(Collection<StoredMessage> messages) throws IOException {
        if (messages.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            store.expunge(messages);
            var gone = new HashSet<Long>();
            messages.forEach(m -> gone.add(m.uid()));
            gone.forEach(structures::remove);
            publish(Arrays.stream(current.messages()).filter(m -> !gone.contains(m.uid())).toList(), true);
        } finally {
            lock.unlock();
        }
    }

    /** Copies into {@code target} (flags and internal date kept); returns the copies in order. */
    public List<StoredMessage> copyTo(MailboxState target, List<StoredMessage> messages) throws IOException {
        if (target == this) {
            lock.lock();
        } else {
            target.lock.lock();
        }
        try {
            var copies = store.copyTo(target.store, messages);
            var list = new ArrayList<>(Arrays.asList(target.current.messages()));
            list.addAll(copies);
            target.publish(list, true);
            return copies;
        } finally {
            (target == this ? lock : target.lock).unlock();
        }
    }

    /**
     * Claims {@code \Recent} for a session (RFC 3501 §2.3.2: recent in exactly one session): returns
     * the lowest UID that is recent for the caller; messages from it up to {@code upTo} are its own.
     */
    public long claimRecent(long upTo) {
        lock.lock();
        try {
            long first = recentBoundary;
            recentBoundary = Math.max(recentBoundary, upTo + 1);
            return first;
        } finally {
            lock.unlock();
        }
    }

    /** How many messages no session has claimed as {@code \Recent} yet (for STATUS RECENT). */
    public int unclaimedRecent() {
        lock.lock();
        try {
            var messages = current.messages();
            int first = current.indexOf(recentBoundary);
            return messages.length - (first >= 0 ? first : -first - 1);
        } finally {
            lock.unlock();
        }
    }

    /** Registers a callback run after each change (used by IDLE); returns the handle that removes it. */
    public Runnable watch(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    private void publish(List<StoredMessage> messages, boolean changed) {
        lastRefresh = System.nanoTime();
        var sorted = messages.toArray(StoredMessage[]::new);
        Arrays.sort(sorted, (a, b) -> Long.compare(a.uid(), b.uid()));
        var old = current;
        if (!changed && old != null && Arrays.equals(old.messages(), sorted)
                && old.uidNext() == store.nextUid()) {
            return;
        }
        long version = old == null ? 1 : old.version() + 1;
        current = new MailboxSnapshot(version, store.uidValidity(), store.nextUid(), sorted);
        if (old != null) {
            watchers.forEach(Runnable::run);
        }
    }
}
