package org.roost.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.roost.mail.MailboxNames;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/**
 * The shared cache service: one {@link MailStore} per user and one {@link MailboxState} per open
 * mailbox for the whole JVM, so that every session and protocol sees the same state. Protocols
 * reach a user's mailboxes through {@link #mailboxes(String)}, never the store itself.
 *
 * <p>Open mailboxes are kept within a heap budget ({@link IndexOptions#cacheBytes()}, weighed by
 * each state's table), the least recently used leaving first. A state a session still holds is
 * never replaced: evicted states stay reachable through a weak reference, and opening the mailbox
 * again returns that same state for as long as any session holds it.
 */
public final class IndexCache {
    private static final long STATE_OVERHEAD_BYTES = 16 * 1024;
    private final StorageDriver driver;
    private final IndexOptions options;
    private final ConcurrentHashMap<String, MailStore> stores = new ConcurrentHashMap<>();
    private final Cache<String, MailboxState> cached;
    private final ConcurrentHashMap<String, WeakReference<MailboxState>> live = new ConcurrentHashMap<>();
    private final ReentrantLock openLock = new ReentrantLock();
    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    /** Expunged messages held readable, over every mailbox ({@link ExpungedHolds}). */
    private final Semaphore heldExpunged;
    /** The threads that look at message files for facts their listing did not tell, for every mailbox. */
    private final FileLookups fileLookups;

    public IndexCache(StorageDriver driver) {
        this(driver, IndexOptions.defaults());
    }

    public IndexCache(StorageDriver driver, IndexOptions options) {
        this.driver = driver;
        this.options = options;
        this.heldExpunged = new Semaphore(options.maxHeldExpunged());
        this.fileLookups = new FileLookups(options.fileLookupThreads());
        this.cached = Caffeine.newBuilder()
                .maximumWeight(options.cacheBytes())
                .weigher((String key, MailboxState state) -> weight(state))
                .executor(Runnable::run)
                .removalListener((String key, MailboxState state, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                })
                .build();
    }

    /** {@code user}'s mailboxes, as protocols and tools use them. */
    public Mailboxes mailboxes(String user) throws IOException {
        return new Mailboxes(this, user, store(user));
    }

    MailStore store(String user) throws IOException {
        var store = stores.get(user);
        if (store != null) {
            return store;
        }
        openLock.lock();
        try {
            store = stores.get(user);
            if (store == null) {
                store = driver.open(user);
                stores.put(user, store);
            }
            return store;
        } finally {
            openLock.unlock();
        }
    }

    /** The shared state of {@code mailbox} (opened on first use). */
    public MailboxState open(String user, String mailbox) throws IOException {
        var key = key(user, mailbox);
        var state = cached.getIfPresent(key);
        if (state != null) {
            hits.increment();
            cached.put(key, state); // weighed again: the mailbox may have grown
            return state;
        }
        openLock.lock();
        try {
            state = cached.getIfPresent(key);
            if (state == null) {
                state = stillHeld(key);
            }
            if (state != null) {
                hits.increment();
            } else {
                misses.increment();
                state = new MailboxState(user, MailboxNames.canonical(mailbox), store(user).mailbox(mailbox), options.persistent(),
                        options.fsync(), heldExpunged, fileLookups);
                live.put(key, new WeakReference<>(state));
            }
            cached.put(key, state);
            return state;
        } finally {
            openLock.unlock();
        }
    }

    /**
     * What an open mailbox costs: its table's arrays and heap-held keys, plus a fixed share for the
     * state itself and its cache of parsed structures.
     */
    private static int weight(MailboxState state) {
        return (int) Math.min(Integer.MAX_VALUE, STATE_OVERHEAD_BYTES + state.heapBytes());
    }

    /** An evicted state that some session still holds (so there is never a second state of one mailbox). */
    private MailboxState stillHeld(String key) {
        var ref = live.get(key);
        var state = ref == null ? null : ref.get();
        if (ref != null && state == null) {
            live.remove(key, ref);
        }
        return state;
    }

    /** Drops cached states of a mailbox and its inferiors after DELETE or RENAME. */
    void forget(String user, String mailbox, char delimiter) {
        var key = key(user, mailbox);
        Predicate<String> affected = k -> k.equals(key) || k.startsWith(key + delimiter);
        cached.asMap().keySet().removeIf(affected);
        live.keySet().removeIf(affected);
    }

    /**
     * Rebuilds the index of one mailbox from its mail (the operator's {@code roost index}), keeping
     * UIDs; sessions holding the mailbox see the result as ordinary changes.
     */
    public void reindex(String user, String mailbox) throws IOException {
        open(user, mailbox).reindex();
    }

    // ---- metrics hooks (registered with Micrometer by the server) ----

    /** Opens answered by a state already in memory. */
    public long hits() {
        return hits.sum();
    }

    /** Opens that had to read an index (or scan the mail). */
    public long misses() {
        return misses.sum();
    }

    /** States dropped from the cache to stay within the budget. */
    public long evictions() {
        cached.cleanUp();
        return evictions.sum();
    }

    /** Heap bytes held by the cached states' tables. */
    public long bytes() {
        long n = 0;
        for (var state : cached.asMap().values()) {
            n += state.heapBytes();
        }
        return n;
    }

    /** Index files found damaged (or of another UIDVALIDITY) and rebuilt from the mail. */
    public long rebuilds() {
        return MailboxIndex.rebuilds();
    }

    public int openMailboxes() {
        return (int) cached.estimatedSize();
    }

    private static String key(String user, String mailbox) {
        return user + '\0' + MailboxNames.canonical(mailbox);
    }
}
