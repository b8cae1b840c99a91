package org.roost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.roost.mail.SystemFlag;
import org.roost.storage.Admission;
import org.roost.storage.ChangeToken;
import org.roost.storage.HeldMessage;
import org.roost.storage.MailboxStore;
import org.roost.storage.PreparedMessage;
import org.roost.mail.StoredMessage;

/** A MailboxStore passing every call to another one; tests override what they watch or break. */
public class ForwardingMailboxStore implements MailboxStore {
    protected final MailboxStore delegate;

    public ForwardingMailboxStore(MailboxStore delegate) {
        this.delegate = delegate;
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
    public List<StoredMessage> scan() throws IOException {
        return delegate.scan();
    }

    @Override
    public void scan(ScanConsumer consumer) throws IOException {
        delegate.scan(consumer);
    }

    @Override
    public StoredMessage stat(StoredMessage message) throws IOException {
        return delegate.stat(message);
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
    public Map<String, String> pop3Uidls() throws IOException {
        return delegate.pop3Uidls();
    }

    @Override
    public InputStream open(StoredMessage message) throws IOException {
        return delegate.open(message);
    }

    @Override
    public HeldMessage hold(StoredMessage message) throws IOException {
        return delegate.hold(message);
    }

    @Override
    public PreparedMessage prepare(InputStream data, Instant date) throws IOException {
        return delegate.prepare(data, date);
    }

    @Override
    public PreparedMessage prepareCopy(MailboxStore source, StoredMessage message) throws IOException {
        return delegate.prepareCopy(source, message);
    }

    @Override
    public List<StoredMessage> commit(List<PreparedMessage.Addition> additions) throws IOException {
        return delegate.commit(additions);
    }

    @Override
    public List<StoredMessage> commitTogether(List<PreparedMessage.Addition> additions) throws IOException {
        return delegate.commitTogether(additions);
    }

    @Override
    public void discard(PreparedMessage prepared) {
        delegate.discard(prepared);
    }

    @Override
    public StoredMessage setFlags(StoredMessage message, Set<SystemFlag> flags, Set<String> keywords)
            throws IOException {
        return delegate.setFlags(message, flags, keywords);
    }

    @Override
    public void expunge(Collection<StoredMessage> messages) throws IOException {
        delegate.expunge(messages);
    }

    @Override
    public List<StoredMessage> copyTo(MailboxStore target, List<StoredMessage> messages, Admission admission)
            throws IOException {
        return delegate.copyTo(target, messages, admission);
    }
}
