package org.roost.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.roost.acl.Acl;
import org.roost.acl.AclFiles;
import org.roost.acl.Requester;
import org.roost.acl.Rights;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNames;
import org.roost.mail.ObjectIds;
import org.roost.mail.QuotaLimit;
import org.roost.mail.SpecialUse;
import org.roost.mail.StorageException;
import org.roost.net.Cancellation;
import org.roost.storage.MailStore;
import org.roost.storage.UserLocation;

/**
 * One user's mailboxes, as protocols and tools use them: names, hierarchy and subscriptions from
 * the store, and each mailbox's shared {@link MailboxState} from the {@link IndexCache}. Changes to
 * the hierarchy keep the cache right: a deleted or renamed mailbox's states (and its inferiors')
 * are dropped with it. Names are Unicode, levels separated by {@link #delimiter()}; every change is
 * durable when the method returns.
 */
public final class Mailboxes {
    private static final System.Logger LOG = System.getLogger(Mailboxes.class.getName());
    private final IndexCache cache;
    private final UserLocation location;
    private final MailStore store;
    private final List<SpecialMailbox> specialMailboxes;
    /** {@link UserLocation#key()}, expanded once: a LIST-STATUS looks a thousand states up with it. */
    private final String storeKey;
    /** Null when the server keeps no ACLs: the user may do anything with their own mailboxes. */
    private final AclFiles accessControl;
    private final Set<String> groups;

    Mailboxes(IndexCache cache, UserLocation location, MailStore store, List<SpecialMailbox> specialMailboxes,
            AclFiles accessControl, Set<String> groups) {
        this.cache = cache;
        this.location = location;
        this.storeKey = location.key();
        this.store = store;
        this.specialMailboxes = specialMailboxes;
        this.accessControl = accessControl;
        this.groups = Set.copyOf(groups);
    }

    /** The same mailboxes, seen by a member of {@code groups} (Dovecot's {@code acl_groups}), for their ACLs. */
    public Mailboxes memberOf(Set<String> groups) {
        return new Mailboxes(cache, location, store, specialMailboxes, accessControl, groups);
    }

    /** Whether mailboxes have ACLs (RFC 4314) here: without, every right is the user's. */
    public boolean accessControlled() {
        return accessControl != null;
    }

    /**
     * The rights the user has on mailbox {@code name} (RFC 4314 §2), by its ACL; every right when there are no
     * ACLs. Costs a {@code stat} of its ACL files, not a read, while they do not change.
     */
    public Rights myRights(String name) throws IOException {
        return accessControl == null ? Rights.ALL : acl(name).rightsOf(new Requester(location.user(), groups, true));
    }

    /** The ACL of mailbox {@code name}: its own entries and the global ones for it. */
    public Acl acl(String name) throws IOException {
        return accessControl == null ? Acl.EMPTY : accessControl.acl(aclDirectory(name), name);
    }

    /** Changes the mailbox's own ACL entries (SETACL, DELETEACL), durably; returns the ACL as it is now. */
    public Acl changeAcl(String name, UnaryOperator<Acl> change) throws IOException {
        var directory = aclDirectory(name);
        if (accessControl == null || directory == null) {
            throw new StorageException("this mail keeps no ACLs");
        }
        return accessControl.update(directory, name, change);
    }

    /**
     * The rights that decide whether {@code name} may be created (RFC 4314 §4: {@code k} on the nearest existing
     * parent); every right at the top of the user's own hierarchy.
     */
    public Rights rightsToCreate(String name) throws IOException {
        var parent = existingParent(name);
        return parent == null ? Rights.ALL : myRights(parent);
    }

    /** The nearest existing mailbox above {@code name}, or null. */
    private String existingParent(String name) throws IOException {
        for (int cut = name.lastIndexOf(delimiter()); cut > 0; cut = name.lastIndexOf(delimiter(), cut - 1)) {
            var parent = name.substring(0, cut);
            if (store.exists(parent)) {
                return parent;
            }
        }
        return null;
    }

    /** Where the mailbox's {@code dovecot-acl} is: its own directory, which moves and goes with it. */
    private Path aclDirectory(String name) throws IOException {
        return store.annotationDirectory(name);
    }

    /** RFC 4314 §4: a new mailbox starts with its parent's ACL, as Dovecot copies it. */
    private void inheritAcl(String name) throws IOException {
        var parent = existingParent(name);
        var parentDirectory = parent == null ? null : aclDirectory(parent);
        var directory = aclDirectory(name);
        if (accessControl != null && parentDirectory != null && directory != null) {
            accessControl.inherit(parentDirectory, directory);
        }
    }

    /** Where this mail is ({@link UserLocation#key()}): the same for every user name that leads to it. */
    public String where() {
        return storeKey;
    }

    /** The hierarchy delimiter. */
    public char delimiter() {
        return store.delimiter();
    }

    /** Every mailbox including INBOX, plus the non-selectable parents of deeper ones, in no particular order. */
    public List<MailboxInfo> list() throws IOException {
        return store.list();
    }

    /** True when {@code name} is a selectable mailbox. */
    public boolean exists(String name) throws IOException {
        return store.exists(name);
    }

    /** @see MailStore#create */
    public void create(String name) throws IOException {
        store.create(name);
        inheritAcl(name);
        announce(new MailboxEvent.Created(name, this));
    }

    /**
     * Creates a mailbox with special uses (RFC 6154 §3); if the uses cannot be kept, the mailbox is
     * removed again, so that it is made with them or not at all.
     */
    public void create(String name, Set<SpecialUse> uses) throws IOException {
        store.create(name);
        try {
            store.setSpecialUses(name, uses);
            inheritAcl(name);
        } catch (IOException | RuntimeException e) {
            store.delete(name);
            throw e;
        }
        announce(new MailboxEvent.Created(name, this));
    }

    /**
     * The special uses of mailboxes by name: those the configuration names ({@link SpecialMailbox}) and those
     * clients gave (CREATE ... USE), together. Names need not exist.
     */
    public Map<String, Set<SpecialUse>> specialUses() throws IOException {
        var uses = new HashMap<String, Set<SpecialUse>>();
        for (var configured : specialMailboxes) {
            uses.put(MailboxNames.canonical(configured.name()), configured.uses());
        }
        store.specialUses().forEach((name, given) -> uses.merge(name, given, (a, b) -> {
            var both = EnumSet.copyOf(a);
            both.addAll(b);
            return both;
        }));
        return uses;
    }

    /**
     * Makes the configured special mailboxes that are to be made automatically and are missing (and
     * subscribes those to be subscribed), as Dovecot's {@code auto = create|subscribe} does after login. A
     * failure is logged, not thrown: the user can still read mail without them.
     */
    public void createAutomatic() {
        for (var configured : specialMailboxes) {
            if (configured.auto() == SpecialMailbox.Auto.NO) {
                continue;
            }
            try {
                if (!store.exists(configured.name())) {
                    create(configured.name());
                    if (configured.auto() == SpecialMailbox.Auto.SUBSCRIBE) {
                        subscribe(configured.name());
                    }
                }
            } catch (MailboxExistsException raced) {
                // another session made it meanwhile
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "cannot create the special mailbox {0} in {1}: {2}",
                        configured.name(), location.key(), e.toString());
            }
        }
    }

    /** Deletes a mailbox and its messages (inferiors are kept); its shared state is dropped. */
    public void delete(String name) throws IOException {
        store.delete(name);
        cache.forget(location, name, delimiter());
        announce(new MailboxEvent.Deleted(name, this));
    }

    /**
     * Renames a mailbox and its inferiors; the states under both names are dropped. Annotations move with the
     * mailbox; INBOX, which stays, keeps its own and gives the new mailbox a copy (RFC 5464 §4.1).
     */
    public void rename(String from, String to) throws IOException {
        store.rename(from, to);
        if (MailboxNames.canonical(from).equals(MailboxNames.INBOX)) {
            var inbox = store.annotationDirectory(from);
            var renamed = store.annotationDirectory(to);
            if (inbox != null && renamed != null) {
                AnnotationFile.copy(inbox.resolve(AnnotationFile.MAILBOX_FILE),
                        renamed.resolve(AnnotationFile.MAILBOX_FILE), cache.fsync());
            }
        }
        cache.forget(location, from, delimiter());
        cache.forget(location, to, delimiter());
        announce(new MailboxEvent.Renamed(from, to, this));
    }

    /** The subscribed names, which need not exist. */
    public Set<String> subscriptions() throws IOException {
        return store.subscriptions();
    }

    public void subscribe(String name) throws IOException {
        store.subscribe(name);
        announce(new MailboxEvent.SubscriptionChanged(name, this));
    }

    public void unsubscribe(String name) throws IOException {
        store.unsubscribe(name);
        announce(new MailboxEvent.SubscriptionChanged(name, this));
    }

    /** This user's annotations (RFC 5464), within {@code limits}. */
    public Annotations annotations(Annotations.Limits limits) {
        return new Annotations(this, store, cache.fsync(), limits);
    }

    /** This user's mailbox access keys (RFC 4467 URLAUTH). */
    public UrlAuthKeys urlAuthKeys() {
        return new UrlAuthKeys(store, cache.fsync());
    }

    void announce(MailboxEvent event) {
        cache.events().publish(location.key(), event);
    }

    /**
     * Tells {@code listener} every event of this user's mail, made by any session or protocol, from now
     * on; returns what stops it. The listener runs on the thread that made the change: it must only take note.
     */
    public Runnable listen(Consumer<MailboxEvent> listener) {
        return cache.events().listen(location.key(), listener);
    }

    /**
     * Reads changes other programs (and other replicas on the same storage) make to {@code name} as they
     * happen, telling them to the listeners, from now until the returned handle is run.
     */
    public Runnable watchOutsideChanges(String name) throws IOException {
        var mailbox = store.mailbox(name);
        var target = new ExternalChanges.Target(location, MailboxNames.canonical(name));
        var files = cache.externalChanges().watch(target, mailbox.watchedDirectories());
        var replicas = mailbox.watchChanges(() -> cache.refreshAfterOutsideChange(target));
        return () -> {
            files.run();
            replicas.run();
        };
    }

    /**
     * The shared state of a mailbox, opened on first use.
     *
     * @throws org.roost.mail.MailboxNotFoundException if there is no such selectable mailbox
     */
    public MailboxState open(String name) throws IOException {
        return cache.open(location, name);
    }

    /** Whether the mail keeps the GUIDs RFC 8474's object identifiers are made of (see {@link MailStore#keepsGuids()}). */
    public boolean keepsGuids() {
        return store.keepsGuids();
    }

    /** RFC 8474's MAILBOXID of a mailbox, from its GUID; null when the mail keeps no GUIDs. */
    public String mailboxId(String name) throws IOException {
        if (!keepsGuids()) {
            return null;
        }
        var guid = open(name).guid();
        return guid == null ? null : ObjectIds.mailboxId(guid);
    }

    /**
     * A mailbox's figures as they are now (read afresh from the storage), without selecting it.
     * With {@code exactSize}, sizes the storage did not state are measured first (reading those
     * messages), which {@code cancellation} can stop; without, {@link MailboxStatus#size()} counts them
     * as they are known.
     */
    public MailboxStatus status(String name, boolean exactSize, Cancellation cancellation) throws IOException {
        var state = openedOrOpen(name);
        var snapshot = state.refresh(true);
        if (exactSize) {
            state.measureSizes(snapshot, cancellation);
        }
        return state.statusOf(snapshot);
    }

    /**
     * A mailbox's figures as its shared state has them, without reading the storage: right after one of
     * its events, which the state sent once it had them.
     */
    public MailboxStatus statusAsKnown(String name) throws IOException {
        return openedOrOpen(name).currentStatus();
    }

    /**
     * The shared state of a mailbox, without the cache's bookkeeping of a use when it is open already: a
     * LIST-STATUS over a thousand mailboxes reads figures, and should not weigh each state again to do so.
     */
    private MailboxState openedOrOpen(String name) throws IOException {
        var state = cache.openedState(storeKey, name);
        return state != null ? state : open(name);
    }

    /** What an EXPUNGE of the mailbox would free, as it is now (read afresh from the storage). */
    public Reclaimable reclaimable(String name) throws IOException {
        return openedOrOpen(name).refresh(true).reclaimable();
    }

    /**
     * The user's quota: one root over every mailbox, its limits and what is used.
     *
     * @throws Quotas.QuotaUnavailable if the limits or the usage cannot be read now (the user database is down)
     */
    public Quotas.Report quota() throws IOException {
        return quota(cache.quotas()::report);
    }

    /** The user's quota limits alone, without counting the usage ({@link #quota()}'s failures). */
    public QuotaLimit quotaLimit() throws IOException {
        return quota(cache.quotas()::limit);
    }

    private interface QuotaLookup<T> {
        T of(String user) throws IOException;
    }

    private <T> T quota(QuotaLookup<T> lookup) throws IOException {
        try {
            return lookup.of(location.user());
        } catch (StorageException e) {
            throw e;
        } catch (IOException e) {
            throw new Quotas.QuotaUnavailable(e);
        }
    }
}
