package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailboxStore;
import org.roost.testing.ForwardingMailboxStore;

/**
 * A real store whose message-file opens are counted and can be made to fail or wait, and whose
 * list-returning scan fails: the state must stream, never hold a list of every message (for tests).
 */
final class CountingStore extends ForwardingMailboxStore {
    /** Runs before each open of a message file. */
    interface OpenHook {
        void beforeOpen(StoredMessage message) throws IOException;
    }

    private final AtomicInteger opens;
    private volatile OpenHook hook = message -> { };

    CountingStore(MailboxStore delegate, AtomicInteger opens) {
        super(delegate);
        this.opens = opens;
    }

    void beforeOpen(OpenHook hook) {
        this.hook = hook;
    }

    @Override
    public InputStream open(StoredMessage m) throws IOException {
        hook.beforeOpen(m);
        opens.incrementAndGet();
        return delegate.open(m);
    }

    @Override
    public List<StoredMessage> scan() {
        throw new AssertionError("the whole list was asked for");
    }
}
