package org.roost.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.roost.acl.Acl;
import org.roost.acl.AclFiles;
import org.roost.acl.Identifier;
import org.roost.acl.Requester;
import org.roost.acl.Right;
import org.roost.acl.Rights;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.MailboxInfo;
import org.roost.mail.MailboxNotFoundException;
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
 *
 * <p>Seen {@link #inNamespaces() in namespaces} (IMAP), names also lead to the mailboxes other users share
 * ({@link Namespaces}): each method taking a name acts on the owner's mailboxes, with the user's rights there.
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
    /** Who looks at these mailboxes, for their ACLs: the owner, or another user through a namespace. */
    private final Requester requester;
    /** Null unless names lead to the other namespaces too ({@link #inNamespaces()}). */
    private final Namespaces namespaces;
    /** The other users' mailboxes as this user sees them, by owner, once a name led to them. */
    private final Map<String, Mailboxes> others = new ConcurrentHashMap<>();
    /** Where the user looking through a namespace keeps their private flags of these mailboxes; null: none. */
    private final PrivatePlace privatePlace;

    /**
     * Where a user keeps their {@link PrivateFlags} of the mailboxes another's (or the public) {@link Mailboxes}
     * lead to: {@code directory} in their own mail, the flags of {@code mask}, their events' key and the names
     * they give those mailboxes ({@code named}), for their NOTIFY.
     */
    record PrivatePlace(Path directory, int mask, String viewerKey, UnaryOperator<String> named) {}

    Mailboxes(IndexCache cache, UserLocation location, MailStore store, List<SpecialMailbox> specialMailboxes,
            AclFiles accessControl, Requester requester, Namespaces namespaces) {
        this(cache, location, store, specialMailboxes, accessControl, requester, namespaces, null);
    }

    private Mailboxes(IndexCache cache, UserLocation location, MailStore store, List<SpecialMailbox> specialMailboxes,
            AclFiles accessControl, Requester requester, Namespaces namespaces, PrivatePlace privatePlace) {
        this.privatePlace = privatePlace;
        this.cache = cache;
        this.location = location;
        this.storeKey = location.key();
        this.store = store;
        this.specialMailboxes = specialMailboxes;
        this.accessControl = accessControl;
        this.requester = requester;
        this.namespaces = namespaces;
    }

    /** The same mailboxes, seen by a member of {@code groups} (Dovecot's {@code acl_groups}), for their ACLs. */
    public Mailboxes memberOf(Set<String> groups) {
        return new Mailboxes(cache, location, store, specialMailboxes, accessControl,
                new Requester(requester.user(), groups, requester.owner()), namespaces, privatePlace);
    }

    /**
     * The same mailboxes, where names lead to the other users' namespace too (when one is configured): what an IMAP
     * session sees. Delivery and tools keep to the user's own mailboxes.
     */
    public Mailboxes inNamespaces() {
        var configured = cache.namespaces();
        return configured == null || accessControl == null ? this
                : new Mailboxes(cache, location, store, specialMailboxes, accessControl, requester, configured);
    }

    /** {@code owner}'s mailboxes as {@code requester} sees them through a namespace. */
    static Mailboxes sharedBy(IndexCache cache, UserLocation owner, MailStore store, AclFiles accessControl,
            Requester requester, PrivatePlace privatePlace) {
        return new Mailboxes(cache, owner, store, List.of(), accessControl, requester, null, privatePlace);
    }

    /** Where this user keeps their private flags of the mailboxes they name by {@code named}; null when nowhere. */
    private PrivatePlace privatePlace(UnaryOperator<String> named) {
        var directory = store.serverAnnotationDirectory();
        return directory == null ? null
                : new PrivatePlace(directory.resolve(PrivateFlags.DIRECTORY), namespaces.privateFlags(), storeKey, named);
    }

    /** An action on the mailboxes a name leads to, with the name there. */
    private interface At<T> {
        T apply(Mailboxes owner, String name) throws IOException;
    }

    /** {@code action} on the mailboxes {@code name} leads to; {@code nowhere} when it leads to no user's. */
    private <T> T at(String name, T nowhere, At<T> action) throws IOException {
        if (namespaces == null) {
            return action.apply(this, name);
        }
        return switch (namespaces.place(name, delimiter())) {
            case Namespaces.Own own -> action.apply(this, own.name());
            case Namespaces.Nowhere ignored -> nowhere;
            case Namespaces.Foreign foreign -> {
                var owner = sharedBy(foreign.owner());
                yield owner == null ? nowhere : action.apply(owner, foreign.name());
            }
            case Namespaces.Public inPublic -> action.apply(publicMailboxes(), inPublic.name());
        };
    }

    /** The public namespace's mailboxes as this user sees them (only asked for when there is one). */
    private Mailboxes publicMailboxes() throws IOException {
        var known = others.get(Namespaces.PUBLIC_USER);
        if (known == null) {
            known = cache.publicMailboxes(new Requester(requester.user(), requester.groups(), false),
                    privatePlace(name -> namespaces.publicName(name, delimiter())));
            others.put(Namespaces.PUBLIC_USER, known);
        }
        return known;
    }

    /** As {@link #at(String, Object, At)}, for actions on a mailbox that must exist. */
    private <T> T atMailbox(String name, At<T> action) throws IOException {
        var result = at(name, null, (owner, there) -> new Holder<>(action.apply(owner, there)));
        if (result == null) {
            throw new MailboxNotFoundException("no mailbox " + name);
        }
        return result.value();
    }

    private record Holder<T>(T value) {}

    /** {@code owner}'s mailboxes as this user sees them; null when there is no such other user's mail. */
    private Mailboxes sharedBy(String owner) throws IOException {
        if (owner.equals(location.user())) {
            return null;
        }
        var known = others.get(owner);
        if (known == null) {
            known = cache.sharedBy(owner, new Requester(requester.user(), requester.groups(), false),
                    privatePlace(name -> namespaces.sharedName(owner, name, delimiter())));
            if (known != null) {
                others.put(owner, known);
            }
        }
        return known;
    }

    /**
     * Records whom this user's ACLs give rights to ({@link SharedOwners}), so that they find what is shared with
     * them when they list the other users' namespace: at login, and after each change of an ACL.
     */
    public void recordSharing() throws IOException {
        var owners = cache.sharedOwners();
        if (owners == null || accessControl == null || location.user().equals(Namespaces.PUBLIC_USER)) {
            return;
        }
        owners.record(location.user(), this::sharedWith);
    }

    /** The identifiers this user's ACLs give some right to. */
    private Set<Identifier> sharedWith() throws IOException {
        var identifiers = new HashSet<Identifier>();
        for (var info : store.list()) {
            if (info.selectable()) {
                aclHere(info.name()).entries().stream()
                        .filter(entry -> entry.rights() != null && !entry.rights().isEmpty())
                        .forEach(entry -> identifiers.add(entry.identifier()));
            }
        }
        return identifiers;
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
        return at(name, Rights.NONE, Mailboxes::rightsHere);
    }

    private Rights rightsHere(String name) throws IOException {
        if (accessControl == null) {
            return requester.owner() ? Rights.ALL : Rights.NONE;
        }
        return aclHere(name).rightsOf(requester);
    }

    /** The ACL of mailbox {@code name}: its own entries and the global ones for it. */
    public Acl acl(String name) throws IOException {
        return at(name, Acl.EMPTY, Mailboxes::aclHere);
    }

    private Acl aclHere(String name) throws IOException {
        return accessControl == null ? Acl.EMPTY : accessControl.acl(aclDirectory(name), name);
    }

    /** Changes the mailbox's own ACL entries (SETACL, DELETEACL), durably; returns the ACL as it is now. */
    public Acl changeAcl(String name, UnaryOperator<Acl> change) throws IOException {
        return atMailbox(name, (owner, there) -> owner.changeAclHere(there, change));
    }

    private Acl changeAclHere(String name, UnaryOperator<Acl> change) throws IOException {
        var directory = aclDirectory(name);
        if (accessControl == null || directory == null) {
            throw new StorageException("this mail keeps no ACLs");
        }
        var changed = accessControl.update(directory, name, change);
        try {
            recordSharing();
        } catch (IOException e) { // the ACL changed all the same; the owner's next login records it
            LOG.log(System.Logger.Level.WARNING, "what {0} shares was not recorded: {1}", location.user(),
                    e.toString());
        }
        return changed;
    }

    /**
     * The rights that decide whether {@code name} may be created (RFC 4314 §4: {@code k} on the nearest existing
     * parent); every right at the top of the user's own hierarchy.
     */
    public Rights rightsToCreate(String name) throws IOException {
        return at(name, Rights.NONE, Mailboxes::rightsToCreateHere);
    }

    /** Every right at the top of the owner's hierarchy, none at the top of another user's. */
    private Rights rightsToCreateHere(String name) throws IOException {
        var parent = existingParent(name);
        return parent != null ? rightsHere(parent) : requester.owner() ? Rights.ALL : Rights.NONE;
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

    /**
     * Every mailbox including INBOX, plus the non-selectable parents of deeper ones, in no particular order; in
     * namespaces, also the mailboxes of the users who share some with this one, under their nodes (which of them
     * the user may see is the caller's to decide, by {@link #myRights}).
     */
    public List<MailboxInfo> list() throws IOException {
        var own = store.list();
        if (namespaces == null) {
            return own;
        }
        var all = new ArrayList<MailboxInfo>(own.size());
        own.stream().filter(info -> !namespaces.reserves(info.name(), delimiter())).forEach(all::add);
        if (namespaces.publicMail() != null) {
            all.add(new MailboxInfo(namespaces.publicPrefix(), false, true));
            for (var info : publicMailboxes().store.list()) {
                all.add(new MailboxInfo(namespaces.publicName(info.name(), delimiter()), info.selectable(),
                        info.hasChildren()));
            }
        }
        if (namespaces.owners() == null) {
            return all;
        }
        boolean sharing = false;
        for (var owner : namespaces.owners().sharingWith(requester)) {
            var theirs = sharedBy(owner);
            if (theirs != null) {
                sharing = true;
                all.add(new MailboxInfo(namespaces.ownerNode(owner, delimiter()), false, true));
                for (var info : theirs.store.list()) {
                    all.add(new MailboxInfo(namespaces.sharedName(owner, info.name(), delimiter()), info.selectable(),
                            info.hasChildren()));
                }
            }
        }
        if (sharing) {
            all.add(new MailboxInfo(namespaces.sharedPrefix(), false, true));
        }
        return all;
    }

    /** The other users' namespace (RFC 2342), as its prefix without the delimiter; null when there is none. */
    public String sharedPrefix() {
        return namespaces == null ? null : namespaces.sharedPrefix();
    }

    /** The public namespace (RFC 2342's shared one), as its prefix without the delimiter; null when there is none. */
    public String publicPrefix() {
        return namespaces == null || namespaces.publicMail() == null ? null : namespaces.publicPrefix();
    }

    /** True when {@code name} is a selectable mailbox. */
    public boolean exists(String name) throws IOException {
        return at(name, false, (owner, there) -> owner.store.exists(there));
    }

    /** The user whose mailbox {@code name} is (another user's in their namespace); null when it is nobody's. */
    public String ownerOf(String name) throws IOException {
        return at(name, null, (owner, there) -> owner.location.user().equals(Namespaces.PUBLIC_USER) ? null
                : owner.location.user());
    }

    /** Whether two names lead to one user's mailboxes (a RENAME cannot move a mailbox to another's). */
    public boolean sameOwner(String one, String other) throws IOException {
        var first = at(one, null, (owner, there) -> owner);
        return first != null && first == at(other, null, (owner, there) -> owner);
    }

    /** @see MailStore#create */
    public void create(String name) throws IOException {
        atMailbox(name, (owner, there) -> {
            owner.store.create(there);
            owner.inheritAcl(there);
            owner.announce(new MailboxEvent.Created(there, owner));
            return null;
        });
    }

    /**
     * Creates a mailbox with special uses (RFC 6154 §3); if the uses cannot be kept, the mailbox is
     * removed again, so that it is made with them or not at all.
     */
    public void create(String name, Set<SpecialUse> uses) throws IOException {
        atMailbox(name, (owner, there) -> {
            owner.createWithUses(there, uses);
            return null;
        });
    }

    private void createWithUses(String name, Set<SpecialUse> uses) throws IOException {
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
        atMailbox(name, (owner, there) -> {
            var acl = owner.aclHere(there);
            owner.store.delete(there);
            cache.forget(owner.location, there, delimiter());
            owner.announce(new MailboxEvent.Deleted(there, owner, acl));
            return null;
        });
    }

    /**
     * Renames a mailbox and its inferiors; the states under both names are dropped. Annotations move with the
     * mailbox; INBOX, which stays, keeps its own and gives the new mailbox a copy (RFC 5464 §4.1).
     */
    public void rename(String from, String to) throws IOException {
        if (!sameOwner(from, to)) {
            throw new MailboxNotFoundException("cannot rename " + from + " to another user's mailboxes");
        }
        atMailbox(from, (owner, there) -> {
            owner.renameHere(there, at(to, null, (same, newName) -> newName));
            return null;
        });
    }

    private void renameHere(String from, String to) throws IOException {
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

    /**
     * Where the annotations of mailbox {@code name} are: {@code file} beside it, and for another user's (or the
     * public) mailbox, {@code foreign}, the file of this user's own {@code /private} entries ({@code privateFile},
     * named like their {@link PrivateFlags}; null when their mail has no place for it); {@code owner} and
     * {@code name} as the owner's listeners know it.
     */
    record AnnotationPlace(Path file, boolean foreign, Path privateFile, Mailboxes owner, String name) {}

    /** @throws MailboxNotFoundException if there is no such selectable mailbox */
    AnnotationPlace annotationPlace(String name) throws IOException {
        return atMailbox(name, (owner, there) -> owner.annotationPlaceHere(there));
    }

    private AnnotationPlace annotationPlaceHere(String name) throws IOException {
        if (!store.exists(name)) {
            throw new MailboxNotFoundException("no such mailbox: " + name);
        }
        var directory = store.annotationDirectory(name);
        if (directory == null) {
            throw new StorageException("this mail store keeps no annotations");
        }
        var file = directory.resolve(AnnotationFile.MAILBOX_FILE);
        boolean foreign = !requester.owner();
        var place = privatePlace;
        var privateFile = !foreign || place == null ? null
                : place.directory().resolve(PrivateFlags.fileName(storeKey, identity(name, openedOrOpen(name)), ".metadata"));
        return new AnnotationPlace(file, foreign, privateFile, this, name);
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
     * In namespaces, the message events and the mailboxes made, renamed and deleted of the users who share with this
     * one are told too, under their names here (RFC 5465 §5.2 to §5.4 for the other users' namespace); which of them
     * the user may learn of is the caller's to decide, by {@link #mayLearnOf}.
     */
    public Runnable listen(Consumer<MailboxEvent> listener) {
        var stops = new ArrayList<Runnable>();
        stops.add(cache.events().listen(location.key(), listener));
        if (namespaces != null && namespaces.owners() != null) {
            for (var owner : namespaces.owners().sharingWith(requester)) {
                listenTo(owner, name -> namespaces.sharedName(owner, name, delimiter()), listener, stops);
            }
        }
        if (namespaces != null && namespaces.publicMail() != null) {
            listenTo(Namespaces.PUBLIC_USER, name -> namespaces.publicName(name, delimiter()), listener, stops);
        }
        return () -> stops.forEach(Runnable::run);
    }

    /** Tells {@code listener} the events of {@code owner}'s mail (or the public one), under {@code named}. */
    private void listenTo(String owner, UnaryOperator<String> named, Consumer<MailboxEvent> listener,
            List<Runnable> stops) {
        try {
            var theirs = owner.equals(Namespaces.PUBLIC_USER) ? publicMailboxes() : sharedBy(owner);
            if (theirs != null) {
                stops.add(cache.events().listen(theirs.location.key(), event -> {
                    var here = seenHere(event, theirs, named);
                    if (here != null) {
                        listener.accept(here);
                    }
                }));
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "the mail of {0} cannot be listened to: {1}", owner, e.toString());
        }
    }

    /**
     * An event of the mail {@code theirs} lead to as this user is told it, under the names {@code named} gives; null
     * for what is not theirs to hear: a change of flags they keep privately, the owner's subscriptions,
     * server annotations and mailboxes' private ones. A change this user's session made through {@code theirs} is this
     * session's own (RFC 5465 §5).
     */
    private MailboxEvent seenHere(MailboxEvent event, Mailboxes theirs, UnaryOperator<String> named) {
        return switch (event) {
            case MailboxEvent.MessagesChanged changed ->
                    theirs.privatePlace != null && theirs.privatePlace.mask() != 0
                            && changed.onlyFlags(theirs.privatePlace.mask()) ? null
                            : new MailboxEvent.MessagesChanged(named.apply(changed.mailbox()), changed.kinds(),
                                    changed.flags());
            case MailboxEvent.Created created -> new MailboxEvent.Created(named.apply(created.mailbox()),
                    originHere(created.origin(), theirs));
            case MailboxEvent.Deleted deleted -> new MailboxEvent.Deleted(named.apply(deleted.mailbox()),
                    originHere(deleted.origin(), theirs), deleted.acl());
            case MailboxEvent.Renamed renamed -> new MailboxEvent.Renamed(named.apply(renamed.oldName()),
                    named.apply(renamed.mailbox()), originHere(renamed.origin(), theirs));
            case MailboxEvent.SubscriptionChanged ignored -> null;
            case MailboxEvent.AnnotationsChanged changed -> sharedAnnotations(changed, theirs, named);
        };
    }

    /** The owner's {@code /shared} entries of a mailbox (RFC 5464 §3.3: theirs and this user's), not their server's. */
    private MailboxEvent sharedAnnotations(MailboxEvent.AnnotationsChanged changed, Mailboxes theirs,
            UnaryOperator<String> named) {
        var shared = changed.entries().stream().filter(name -> name.startsWith("/shared/")).toList();
        return changed.mailbox().equals(Annotations.SERVER) || shared.isEmpty() ? null
                : new MailboxEvent.AnnotationsChanged(named.apply(changed.mailbox()), shared,
                        originHere(changed.origin(), theirs));
    }

    private Mailboxes originHere(Mailboxes origin, Mailboxes theirs) {
        return origin == theirs ? this : origin;
    }

    /**
     * Whether this user may learn of {@code change} (RFC 4314 §4: LIST needs {@code l}): by their rights on the
     * mailbox as it is now, or, for one deleted, as its ACL was before (so that nobody learns of a mailbox they
     * could not see, nor misses the end of one they could).
     */
    public boolean mayLearnOf(MailboxEvent.NameChange change) throws IOException {
        if (change instanceof MailboxEvent.Deleted deleted && accessControl != null) {
            var rights = at(deleted.mailbox(), Rights.NONE, (owner, there) -> owner.accessControl == null
                    ? Rights.ALL : deleted.acl().rightsOf(owner.requester));
            return rights.has(Right.LOOKUP);
        }
        return myRights(change.mailbox()).has(Right.LOOKUP);
    }

    /** Whether {@code name} is a namespace's own node ({@code Shared}, {@code Shared.bob}), which no mailbox can have. */
    public boolean namespaceNode(String name) {
        return namespaces != null && namespaces.place(name, delimiter()) instanceof Namespaces.Nowhere;
    }

    /** Whether {@code name} is in the user's personal namespace (RFC 5465 §6.4 {@code personal}). */
    public boolean personal(String name) {
        return namespaces == null || namespaces.place(name, delimiter()) instanceof Namespaces.Own;
    }

    /**
     * Reads changes other programs (and other replicas on the same storage) make to {@code name} as they
     * happen, telling them to the listeners, from now until the returned handle is run.
     */
    public Runnable watchOutsideChanges(String name) throws IOException {
        return atMailbox(name, (owner, there) -> {
            var mailbox = owner.store.mailbox(there);
            var target = new ExternalChanges.Target(owner.location, MailboxNames.canonical(there));
            var files = cache.externalChanges().watch(target, mailbox.watchedDirectories());
            var replicas = mailbox.watchChanges(() -> cache.refreshAfterOutsideChange(target));
            return (Runnable) () -> {
                files.run();
                replicas.run();
            };
        });
    }

    /**
     * The shared state of a mailbox, opened on first use.
     *
     * @throws org.roost.mail.MailboxNotFoundException if there is no such selectable mailbox
     */
    public MailboxState open(String name) throws IOException {
        return atMailbox(name, (owner, there) -> cache.open(owner.location, there));
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
        return atMailbox(name, (owner, there) -> {
            var state = owner.openedOrOpen(there);
            var snapshot = state.refresh(true);
            if (exactSize) {
                state.measureSizes(snapshot, cancellation);
            }
            var privateFlags = owner.privateFlagsHere(there, state);
            return privateFlags.any() ? state.statusSeenBy(privateFlags) : state.statusOf(snapshot);
        });
    }

    /**
     * A mailbox's figures as its shared state has them, without reading the storage: right after one of
     * its events, which the state sent once it had them.
     */
    public MailboxStatus statusAsKnown(String name) throws IOException {
        return atMailbox(name, (owner, there) -> {
            var state = owner.openedOrOpen(there);
            var privateFlags = owner.privateFlagsHere(there, state);
            return privateFlags.any() ? state.statusSeenBy(privateFlags) : state.currentStatus();
        });
    }

    /**
     * The flags this user keeps of their own on mailbox {@code name} (Dovecot's {@code INDEXPVT}): in another
     * user's or the public namespace, those of {@code namespaces.privateFlags}; {@link PrivateFlags#NONE} in their
     * own, where every flag is the mailbox's.
     */
    public PrivateFlags privateFlags(String name) throws IOException {
        return atMailbox(name, (owner, there) -> owner.privatePlace == null ? PrivateFlags.NONE
                : owner.privateFlagsHere(there, owner.openedOrOpen(there)));
    }

    /**
     * What names mailbox {@code name} for its users' private flags: its GUID, which a RENAME keeps (and so the flags
     * follow it), else its name (a mail store that keeps none, or one that cannot be given one now: read-only).
     */
    private static String identity(String name, MailboxState state) {
        try {
            var guid = state.guid();
            if (guid != null) {
                return guid;
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "no GUID for {0}: {1}", name, e.toString());
        }
        return "name:" + MailboxNames.canonical(name);
    }

    private PrivateFlags privateFlagsHere(String name, MailboxState state) throws IOException {
        var place = privatePlace;
        if (place == null || place.mask() == 0) {
            return PrivateFlags.NONE;
        }
        var file = place.directory().resolve(PrivateFlags.fileName(storeKey, identity(name, state), ".pvt"));
        var named = place.named().apply(name);
        return state.privateFlags(file, place.mask(), () -> cache.events().publish(place.viewerKey(),
                new MailboxEvent.MessagesChanged(named, EnumSet.of(MailboxEvent.MessageChange.FLAGS))));
    }

    /**
     * The shared state of a mailbox, without the cache's bookkeeping of a use when it is open already: a
     * LIST-STATUS over a thousand mailboxes reads figures, and should not weigh each state again to do so.
     */
    private MailboxState openedOrOpen(String name) throws IOException {
        var state = cache.openedState(storeKey, name);
        return state != null ? state : cache.open(location, name);
    }

    /** What an EXPUNGE of the mailbox would free, as it is now (read afresh from the storage). */
    public Reclaimable reclaimable(String name) throws IOException {
        return atMailbox(name, Mailboxes::openedOrOpen).refresh(true).reclaimable();
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
