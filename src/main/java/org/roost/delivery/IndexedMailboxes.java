package org.roost.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.roost.index.IndexCache;

/** Delivery inside the server: through the shared index, so that every open session (and IDLE) sees it at once. */
public final class IndexedMailboxes implements MailboxAccess {
    private final IndexCache cache;

    public IndexedMailboxes(IndexCache cache) {
        this.cache = cache;
    }

    @Override
    public String mailboxFor(String user, String wanted, boolean create) throws IOException {
        var mailboxes = cache.mailboxes(user);
        return MailboxAccess.existingOrInbox(wanted, create, mailboxes::exists, mailboxes::create, mailboxes::subscribe);
    }

    @Override
    public Placed append(String user, String mailbox, InputStream message, Instant date, Flags flags)
            throws IOException {
        return new Placed(user, mailbox, cache.open(user, mailbox).append(message, flags.system(), flags.keywords(),
                date));
    }

    @Override
    public Placed copy(Placed source, String user, String mailbox) throws IOException {
        var copy = cache.open(user, mailbox).appendCopy(cache.open(source.user(), source.mailbox()), source.message());
        return new Placed(user, mailbox, copy);
    }

    @Override
    public void appendNotice(String user, InputStream message, Instant date) throws IOException {
        cache.open(user, INBOX).appendNotice(message, date);
    }
}
