package org.roost.index;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailboxStore;
import org.roost.testing.ForwardingMailboxStore;

/**
 * A real store whose opens and stats of message files are counted and can be made to fail or wait,
 * and whose list-returning scan fails: the state must stream, never hold a list of every message
 * (for tests).
 */
final class CountingStore extends ForwardingMailboxStore {
    /** Runs before each open or stat of a message file. */
    interface FileHook {
        void before(StoredMessage message) throws IOException;
    }

    private final AtomicInteger opens;
    private final AtomicInteger stats;
    private volatile FileHook hook = message -> { };
    private volatile AtomicLong bytesRead;

    CountingStore(MailboxStore delegate, AtomicInteger opens) {
        this(delegate, opens, new AtomicInteger());
    }

    CountingStore(MailboxStore delegate, AtomicInteger opens, AtomicInteger stats) {
        super(delegate);
        this.opens = opens;
        this.stats = stats;
    }

    void beforeFileAccess(FileHook hook) {
        this.hook = hook;
    }

    /** Adds the bytes read from every message opened from now on to {@code counter}. */
    void countBytesRead(AtomicLong counter) {
        this.bytesRead = counter;
    }

    @Override
    public InputStream open(StoredMessage m) throws IOException {
        hook.before(m);
        opens.incrementAndGet();
        var counter = bytesRead;
        var in = delegate.open(m);
        return counter == null ? in : new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                counter.addAndGet(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                counter.addAndGet(Math.max(0, n));
                return n;
            }
        };
    }

    @Override
    public StoredMessage stat(StoredMessage m) throws IOException {
        hook.before(m);
        stats.incrementAndGet();
        return delegate.stat(m);
    }

    @Override
    public List<StoredMessage> scan() {
        throw new AssertionError("the whole list was asked for");
    }
}
