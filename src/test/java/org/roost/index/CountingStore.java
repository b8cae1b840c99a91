package org.roost.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;
import org.roost.storage.ChangeToken;
import org.roost.storage.MailboxStore;

/**
 * A real store whose opens and stats of message files are counted and can be made to fail or wait,
 * and whose list-returning scan fails: the state must stream, never hold a list of every message
 * (for tests).
 */
final class CountingStore implements MailboxStore {
    /** Runs before each open or stat of a message file. */
    interface FileHook {
        void before(StoredMessage message) throws IOException;
    }

    private final MailboxStore delegate;
    private final AtomicInteger opens;
    private final AtomicInteger stats;
    private volatile FileHook hook = message -> { };

    CountingStore(MailboxStore delegate, AtomicInteger opens) {
        this(delegate, opens, new AtomicInteger());
    }

    CountingStore(MailboxStore delegate, AtomicInteger opens, AtomicInteger stats) {
        this.delegate = delegate;
        this.opens = opens;
        this.stats = stats;
    }

    void beforeFileAccess(FileHook hook) {
        this.hook = hook;
    }

    @Override
    public InputStream open(StoredMessage m) throws IOException {
        hook.before(m);
        opens.incrementAndGet();
        return delegate.open(m);
    }

    @Override
    public StoredMessage stat(StoredMessage m) throws IOException {
        hook.before(m);
        stats.incrementAndGet();
        return delegate.stat(m);
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public long uidValidity() {
        return delegate.uidValidity();
    }

    @Override
    public long nextUid() {
        return delegate.nextUid();
    }

    @Override
    public List<StoredMessage> scan() {
        throw new AssertionError("the whole list was asked for");
    }

    @Override
    public void scan(ScanConsumer consumer) throws IOException {
        delegate.scan(consumer);
    }

    @Override
    public ChangeToken changeToken() throws IOException {
        return delegate.changeToken();
    }

    @Override
    public Path indexDirectory() {
        return delegate.indexDirectory();
    }

    @Override
    public StoredMessage append(InputStream d, Set<SystemFlag> f, Set<String> k, Instant t) throws IOException {
        return delegate.append(d, f, k, t);
    }

    @Override
    public StoredMessage setFlags(StoredMessage m, Set<SystemFlag> f, Set<String> k) throws IOException {
        return delegate.setFlags(m, f, k);
    }

    @Override
    public void expunge(Collection<StoredMessage> ms) throws IOException {
        delegate.expunge(ms);
    }

    @Override
    public List<StoredMessage> copyTo(MailboxStore t, List<StoredMessage> ms) throws IOException {
        return delegate.copyTo(t, ms);
    }
}
