package org.roost.index;

import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/**
 * The shared cache service: one {@link MailStore} per user and one {@link MailboxState} per open
 * mailbox for the whole JVM, so that every session and protocol sees the same state.
 */
public final class IndexCache {
    private final StorageDriver driver;
    private final MailLocation location;
    private final ConcurrentHashMap<String, MailStore> stores = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, MailboxState> states = new ConcurrentHashMap<>();
    private final ReentrantLock openLock = new ReentrantLock();

    private final IndexOptions options;

    public IndexCache(StorageDriver driver, MailLocation location) {
        this(driver, location, IndexOptions.defaults());
    }

    public IndexCache(StorageDriver driver, MailLocation location, IndexOptions options) {
        this.driver = driver;
        this.location = location;
        this.options = options;
    }

    public MailStore store(String user) throws IOException {
        var store = stores.get(user);
        if (store != null) {
            return store;
        }
        openLock.lock();
        try {
            store = stores.get(user);
            if (store == null) {
                store = driver.open(location.root(user));
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
        var state = states.get(key);
        if (state != null) {
            return state;
        }
        openLock.lock();
        try {
            state = states.get(key);
            if (state == null) {
                state = new MailboxState(user, canonical(mailbox), store(user).mailbox(mailbox), options.persistent(),
                        options.fsync());
                states.put(key, state);
            }
            return state;
        } finally {
            openLock.unlock();
        }
    }

    /** Drops cached states of a mailbox and its inferiors after DELETE or RENAME. */
    public void forget(String user, String mailbox, char delimiter) {
        var key = key(user, mailbox);
        states.keySet().removeIf(k -> k.equals(key) || k.startsWith(key + delimiter));
    }

    public int openMailboxes() {
        return states.size();
    }

    private static String key(String user, String mailbox) {
        return user + '\0' + canonical(mailbox);
    }

    /** INBOX is case-insensitive (RFC 3501 §5.1); every other name is case-sensitive. */
    public static String canonical(String mailbox) {
        return mailbox.equalsIgnoreCase("INBOX") ? "INBOX" : mailbox;
    }
}
