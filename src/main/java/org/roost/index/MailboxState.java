package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.SystemFlag;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.MessageStructure;
import org.roost.storage.ChangeToken;
import org.roost.storage.MailboxStore;
import org.roost.storage.StoredMessage;

/**
 * The one shared state of an open mailbox: the current {@link MailboxSnapshot}, the writes that
 * change it, and the watchers (sessions in IDLE) told about each change. Every session of every
 * protocol sees the mailbox through this object, via its own view.
 */
public final class MailboxState {
    /**
     * Without a change token, re-reading the storage on every command would cost a directory scan;
     * this bounds how often. With one, a refresh costs a few stat calls and is never skipped.
     */
    private static final long REFRESH_INTERVAL_NANOS = 250_000_000L;
    private static final System.Logger LOG = System.getLogger(MailboxState.class.getName());
    private final String user;
    private final String name;
    private final MailboxStore store;
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Runnable> watchers = new CopyOnWriteArraySet<>();
    private final StructureCache structures = new StructureCache(2048);
    private volatile MailboxSnapshot current;
    private volatile long lastRefresh;
    /** The storage's change token that {@link #current} reflects; null when a scan is due. */
    private ChangeToken synced;
    private volatile long scans;
    private long recentBoundary;

    MailboxState(String user, String name, MailboxStore store) throws IOException {
        this.user = user;
        this.name = name;
        this.store = store;
        this.recentBoundary = store.nextUid();
        var token = store.changeToken();
        rescan(true);
        synced = token;
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
        if (!force && synced == null && System.nanoTime() - lastRefresh < REFRESH_INTERVAL_NANOS) {
            return current;
        }
        lock.lock();
        try {
            var token = store.changeToken();
            if (unchangedSince(token)) {
                lastRefresh = System.nanoTime();
                return current;
            }
            // The token is read before the scan, so that a change made during the scan shows next time.
            rescan(false);
            synced = token;
            return current;
        } finally {
            lock.unlock();
        }
    }

    /** Scans done since this state was opened (for tests and metrics). */
    public long scans() {
        return scans;
    }

    private boolean unchangedSince(ChangeToken token) {
        return token != null && synced != null && synced.settled() && token.sameStamps(synced);
    }

    /**
     * Called under the lock before one of our own writes: whether the state was in step with the
     * storage, so that the token read after the write may stand for the state the write produced.
     */
    private boolean inStep() throws IOException {
        return unchangedSince(store.changeToken());
    }

    /**
     * After our own write the storage's stamps moved; when nothing else had changed before the
     * write, the new stamps are adopted as ours (no rescan for our own change). Otherwise the next
     * refresh scans. A change by another process within the same clock tick as our write would be
     * missed until the next change: the window is a few milliseconds on file systems with
     * nanosecond time stamps.
     */
    private void afterOwnWrite(boolean wasInStep) throws IOException {
        var token = wasInStep ? store.changeToken() : null;
        synced = token == null ? null
                : new ChangeToken(token.deliveries(), token.contents(), token.metadata(), true);
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
            boolean wasInStep = inStep();
            var stored = store.append(data, flags, keywords, date);
            afterOwnWrite(wasInStep);
            var list = new ArrayList<>(Arrays.asList(current.messages()));
            list.add(stored);
            publish(list, true);
            return stored;
        } finally {
            lock.unlock();
        }
    }

    /** A new flag set for one message. */
    public record FlagChange(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords) {}

    /** Applies flag changes; messages expunged meanwhile are skipped. Returns the updated messages. */
    public List<StoredMessage> setFlags(List<FlagChange> changes) throws IOException {
        lock.lock();
        try {
            boolean wasInStep = inStep();
            var updated = new ArrayList<StoredMessage>();
            var messages = current.messages().clone();
            for (var change : changes) {
                int i = current.indexOf(change.message().uid());
                if (i < 0) {
                    continue;
                }
                var now = messages[i];
                if (now.flags().equals(change.flags()) && now.keywords().equals(change.keywords())) {
                    updated.add(now);
                    continue;
                }
                try {
                    messages[i] = store.setFlags(now, change.flags(), change.keywords());
                    updated.add(messages[i]);
                } catch (org.roost.storage.MessageNotFoundException gone) {
                    wasInStep = false; // expunged by another process; the next refresh reports it
                }
            }
            afterOwnWrite(wasInStep);
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
            boolean wasInStep = inStep();
            store.expunge(messages);
            afterOwnWrite(wasInStep);
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
            boolean wasInStep = target.inStep();
            var copies = store.copyTo(target.store, messages);
            target.afterOwnWrite(wasInStep);
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

    private void rescan(boolean initial) throws IOException {
        scans++;
        publish(store.scan(), initial);
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
