package org.roost.index;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.roost.acl.AclFiles;
import org.roost.acl.Requester;
import org.roost.mail.MailUnavailableException;
import org.roost.mail.MailboxNames;
import org.roost.mail.QuotaLimit;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;

/**
 * The shared cache service: one {@link MailStore} per user's location and one {@link MailboxState}
 * per open mailbox for the whole JVM, so that every session and protocol sees the same state. Both
 * are keyed by where the mail is ({@link UserLocation#key()}), not by the user's name: two names
 * the user database sends to one directory share its store and states, and a user whose location
 * changed finds the new one at the next login. Protocols reach a user's mailboxes through
 * {@link #mailboxes(String)}, never the store itself.
 *
 * <p>Open mailboxes are kept within a heap budget ({@link IndexOptions#cacheBytes()}, weighed by
 * each state's table), the least recently used leaving first. A state a session still holds is
 * never replaced: evicted states stay reachable through a weak reference, and opening the mailbox
 * again returns that same state for as long as any session holds it.
 *
 * <p>The files open mailboxes keep open are bounded apart ({@link IndexOptions#maxOpenFiles()}, see
 * {@link DescriptorBudget}): a state dropped from the cache closes its files, and beyond the bound the least
 * recently used states close theirs, each reopening when next used.
 */
public final class IndexCache {
    private static final System.Logger LOG = System.getLogger(IndexCache.class.getName());
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
    private final DescriptorBudget descriptors;
    private final Quotas quotas;
    /** The threads that look at message files for facts their listing did not tell, for every mailbox. */
    private final FileLookups fileLookups;
    /** Who listens to which user's mail (NOTIFY). */
    private final MailboxEvents events = new MailboxEvents();
    /** The mailboxes whose changes by other programs are watched for as they happen. */
    private final ExternalChanges externalChanges = new ExternalChanges(this::refreshAfterOutsideChange);
    private volatile ContentWatcher contentWatcher = ContentWatcher.NONE;
    private volatile List<SpecialMailbox> specialMailboxes = List.of();
    private volatile AclFiles accessControl;
    private volatile Namespaces namespaces;

    /**
     * Told which mailbox gained or lost messages, and how many it gained ({@code added}, 0 when it only lost some);
     * must return at once (it runs in the writer's turn).
     */
    @FunctionalInterface
    public interface ContentWatcher {
        ContentWatcher NONE = (user, mailbox, added) -> { };

        void changed(String user, String mailbox, int added);
    }

    public IndexCache(StorageDriver driver) {
        this(driver, IndexOptions.defaults());
    }

    public IndexCache(StorageDriver driver, IndexOptions options) {
        this(driver, options, user -> QuotaLimit.NONE, List.of());
    }

    /**
     * With quota limits from {@code quotaPolicy} (unless an administrator set others) and warnings at
     * {@code warningPercents} of a limit (see {@link Quotas}).
     */
    public IndexCache(StorageDriver driver, IndexOptions options, Quotas.Policy quotaPolicy,
            List<Integer> warningPercents) {
        this.quotas = new Quotas(quotaPolicy, user -> store(locate(user)).quota(), warningPercents, warning -> { });
        this.driver = driver;
        this.options = options;
        this.heldExpunged = new Semaphore(options.maxHeldExpunged());
        this.descriptors = new DescriptorBudget(options.maxOpenFiles());
        this.fileLookups = new FileLookups(options.fileLookupThreads());
        this.cached = Caffeine.newBuilder()
                .maximumWeight(options.cacheBytes())
                .weigher((String key, MailboxState state) -> weight(state))
                .executor(Runnable::run)
                .removalListener((String key, MailboxState state, RemovalCause cause) -> {
                    if (cause.wasEvicted()) {
                        evictions.increment();
                    }
                    if (cause != RemovalCause.REPLACED) {
                        dropped(state);
                    }
                })
                .build();
    }

    /**
     * A state out of the cache closes its files; one a session still holds opens them again when it next uses
     * them, and counts again then. A busy one closes them at a later turn of the budget.
     */
    private void dropped(MailboxState state) {
        if (state != null && state.releaseFiles()) {
            descriptors.released(state);
        }
    }

    /**
     * {@code user}'s mailboxes, as protocols and tools use them ({@link Namespaces#PUBLIC_USER}: the public ones).
     *
     * @throws org.roost.mail.MailUnavailableException if the user's mail cannot be reached now
     */
    public Mailboxes mailboxes(String user) throws IOException {
        var location = locate(user);
        return new Mailboxes(this, location, store(location), specialMailboxes, accessControl,
                new Requester(user, Set.of(), true), null);
    }

    /**
     * {@code owner}'s mailboxes as {@code requester} sees them through the other users' namespace; null when
     * there is no such user's mail to share (no name of theirs, or no mail yet: nothing is made for a name a client
     * gave).
     */
    Mailboxes sharedBy(String owner, Requester requester, Mailboxes.PrivatePlace privatePlace) throws IOException {
        UserLocation location;
        try {
            location = driver.locate(owner);
            if (!driver.hasMailboxDirectories() || !Files.isDirectory(location.root())) {
                return null;
            }
        } catch (IllegalArgumentException | MailUnavailableException e) {
            return null;
        }
        return Mailboxes.sharedBy(this, location, store(location), accessControl, requester, privatePlace);
    }

    /** The public mailboxes as {@code requester} sees them; only asked for when there are some. */
    Mailboxes publicMailboxes(Requester requester, Mailboxes.PrivatePlace privatePlace) throws IOException {
        var location = namespaces.publicMail();
        return Mailboxes.sharedBy(this, location, store(location), accessControl, requester, privatePlace);
    }

    /** Where {@code user}'s mail is; for {@link Namespaces#PUBLIC_USER}, the public mail. */
    private UserLocation locate(String user) throws IOException {
        var configured = namespaces;
        return configured != null && configured.publicMail() != null && user.equals(Namespaces.PUBLIC_USER)
                ? configured.publicMail() : driver.locate(user);
    }

    /** The namespaces IMAP sessions see besides their own ({@link Mailboxes#inNamespaces()}); null: none. */
    public void namespaces(Namespaces configured) {
        namespaces = configured;
    }

    Namespaces namespaces() {
        return namespaces;
    }

    /** Who shares with whom, when there is another users' namespace; else null. */
    SharedOwners sharedOwners() {
        var configured = namespaces;
        return configured == null ? null : configured.owners();
    }

    /** Where mailboxes' ACLs are (RFC 4314, Dovecot's {@code dovecot-acl} files); null (the default): no ACLs. */
    public void accessControl(AclFiles files) {
        accessControl = files;
    }

    /** Whether mailboxes have ACLs here ({@link #accessControl(AclFiles)} was given some). */
    public boolean accessControlled() {
        return accessControl != null;
    }

    /** The mailboxes every user has for special uses, by configuration (none unless set). */
    public void specialMailboxes(List<SpecialMailbox> configured) {
        specialMailboxes = List.copyOf(configured);
    }

    private MailStore store(UserLocation location) throws IOException {
        var key = location.key();
        var store = stores.get(key);
        if (store != null) {
            return store;
        }
        openLock.lock();
        try {
            store = stores.get(key);
            if (store == null) {
                store = driver.open(location);
                stores.put(key, store);
            }
            return store;
        } finally {
            openLock.unlock();
        }
    }

    /** Whether changes are fsynced before they are acknowledged ({@code mail.fsync}). */
    boolean fsync() {
        return options.fsync();
    }

    /** Tells {@code watcher} of every mailbox that gains or loses messages from now on (one watcher). */
    public void watchContent(ContentWatcher watcher) {
        contentWatcher = watcher;
        live.values().forEach(ref -> {
            var state = ref.get();
            if (state != null) {
                state.watchContent(watcher);
            }
        });
    }

    /** The shared state of {@code user}'s {@code mailbox} (opened on first use): tools and tests. */
    public MailboxState open(String user, String mailbox) throws IOException {
        return mailboxes(user).open(mailbox);
    }

    /** The shared state of {@code mailbox} at {@code location} (opened on first use). */
    MailboxState open(UserLocation location, String mailbox) throws IOException {
        var key = key(location, mailbox);
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
                readAhead(store(location), mailbox);
                state = new MailboxState(location.user(), MailboxNames.canonical(mailbox),
                        store(location).mailbox(mailbox), options.persistent(), options.fsync(), heldExpunged,
                        fileLookups, options.sortRunBytes(), options.maxExpungedRanges(), quotas, descriptors);
                var name = state.name();
                state.announceTo((kinds, flags) -> events.publish(location.key(),
                        new MailboxEvent.MessagesChanged(name, kinds, flags)));
                state.watchContent(contentWatcher);
                live.put(key, new WeakReference<>(state));
            }
            cached.put(key, state);
            return state;
        } finally {
            openLock.unlock();
        }
    }

    /** Starts the cold reads of opening {@code mailbox}'s index files at once, beside the storage's own (see {@link IndexReadAhead}). */
    private void readAhead(MailStore store, String mailbox) throws IOException {
        var directory = options.persistent() ? store.indexDirectory(mailbox) : null;
        if (directory != null) {
            IndexReadAhead.start(directory);
        }
    }

    /**
     * The state of {@code mailbox} when it is open, without counting a use or weighing it again (which
     * {@link #open} does): many sessions told of one change each read it, and should not queue on the
     * cache's bookkeeping to do so. Null when it is not open.
     */
    MailboxState openedState(String storeKey, String mailbox) {
        var key = key(storeKey, mailbox);
        var state = cached.getIfPresent(key);
        return state != null ? state : stillHeld(key);
    }

    /**
     * What an open mailbox costs: its table's arrays and heap-held keys, its parsed structures, plus a
     * fixed share for the state itself.
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

    MailboxEvents events() {
        return events;
    }

    ExternalChanges externalChanges() {
        return externalChanges;
    }

    /** Another program changed a watched mailbox: its state reads the change, and tells its listeners. */
    void refreshAfterOutsideChange(ExternalChanges.Target target) {
        try {
            open(target.location(), target.mailbox()).refresh(true);
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "{0}: refresh after an outside change failed: {1}", target.mailbox(),
                    e.getMessage());
        }
    }

    /** Every store writes what it deferred ({@link MailStore#flush}); failures are logged, the rest go on. */
    public void flush() {
        for (var entry : stores.entrySet()) {
            try {
                entry.getValue().flush();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "{0}: deferred writes failed at shutdown: {1}", entry.getKey(),
                        e.getMessage());
            }
        }
    }

    /** The quota accounting of every user's mail. */
    public Quotas quotas() {
        return quotas;
    }

    /** Drops cached states of a mailbox and its inferiors after DELETE or RENAME. */
    void forget(UserLocation location, String mailbox, char delimiter) {
        var key = key(location, mailbox);
        Predicate<String> affected = k -> k.equals(key) || k.startsWith(key + delimiter);
        cached.asMap().keySet().removeIf(affected);
        live.keySet().removeIf(affected);
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

    /** Heap bytes held by the cached states' tables and parsed structures. */
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

    /** Open mailboxes counted as keeping files open (at most {@link DescriptorBudget#PER_MAILBOX} each). */
    public int mailboxesHoldingFiles() {
        return descriptors.holders();
    }

    private static String key(UserLocation location, String mailbox) {
        return key(location.key(), mailbox);
    }

    /** {@code storeKey}: a {@link UserLocation#key()}, which expands the location: a caller asking often keeps it. */
    private static String key(String storeKey, String mailbox) {
        return storeKey + '\0' + MailboxNames.canonical(mailbox);
    }
}
