package org.roost.storage.files;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.roost.mail.SpecialUse;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.mail.MailboxNotFoundException;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxStore;

/**
 * What the stores of mail files share: Dovecot's subscriptions file, the special uses clients gave
 * mailboxes ({@link SpecialUseFile}, which the stores' renames and deletes keep right), a lock that serializes the
 * store's changes in this process, and one object per open mailbox, so every session of the user
 * shares its state.
 */
public abstract class FileMailStore<M extends MailboxStore> implements MailStore {

    /** Makes the object of a mailbox whose files exist. */
    protected interface Opener<M> {
        M open() throws IOException;
    }

    /** Held while the store creates, deletes, renames or opens a mailbox. */
    protected final ReentrantLock lock = new ReentrantLock();
    /** The open mailboxes by canonical name. */
    protected final Map<String, M> open = new ConcurrentHashMap<>();
    private final SubscriptionFile subscriptions;
    /** Written by {@link #setSpecialUses}, and by the subclasses as they rename and delete mailboxes. */
    protected final SpecialUseFile specialUses;

    protected FileMailStore(SubscriptionFile subscriptions, SpecialUseFile specialUses) {
        this.subscriptions = subscriptions;
        this.specialUses = specialUses;
    }

    @Override
    public final Map<String, Set<SpecialUse>> specialUses() throws IOException {
        return specialUses.read();
    }

    @Override
    public final void setSpecialUses(String name, Set<SpecialUse> uses) throws IOException {
        specialUses.set(name, uses);
    }

    @Override
    public final Set<String> subscriptions() throws IOException {
        return Set.copyOf(subscriptions.read());
    }

    @Override
    public final void subscribe(String name) throws IOException {
        subscriptions.subscribe(name);
    }

    @Override
    public final void unsubscribe(String name) throws IOException {
        subscriptions.unsubscribe(name);
    }

    /**
     * The open object of {@code canonical}, made by {@code opener} the first time; a mailbox whose
     * files are gone (another program removed them) is forgotten.
     *
     * @throws MailboxNotFoundException when {@code exists} is false
     */
    protected final M opened(String canonical, boolean exists, Opener<M> opener) throws IOException {
        if (!exists) {
            open.remove(canonical);
            throw new MailboxNotFoundException("no such mailbox: " + canonical);
        }
        var existing = open.get(canonical);
        if (existing != null) {
            return existing;
        }
        lock.lock();
        try {
            var mailbox = open.get(canonical);
            if (mailbox == null) {
                mailbox = opener.open();
                open.put(canonical, mailbox);
            }
            return mailbox;
        } finally {
            lock.unlock();
        }
    }
}
