package org.roost.server;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.roost.delivery.MailboxAccess;
import org.roost.index.Quotas;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/**
 * Delivery by a process of its own ({@code roost deliver}): straight into the store, under the store's own
 * locks (Dovecot's), never through the index files, which belong to the server. A running server sees the
 * message at its next look at the mailbox (IDLE looks every second).
 */
final class StoreMailboxes implements MailboxAccess {
    private final StorageDriver driver;
    private final Quotas quotas;
    private final ConcurrentHashMap<String, MailStore> stores = new ConcurrentHashMap<>();

    /** Quota limits from {@code policy}; warnings at {@code warningPercents} go to {@code warnings}. */
    StoreMailboxes(StorageDriver driver, Quotas.Policy policy, List<Integer> warningPercents,
            Quotas.Warnings warnings) {
        this.driver = driver;
        this.quotas = new Quotas(policy, user -> store(user).quota(), warningPercents, warnings);
    }

    Quotas quotas() {
        return quotas;
    }

    private MailStore store(String user) throws IOException {
        var store = stores.get(user);
        if (store == null) {
            store = driver.open(driver.locate(user));
            stores.put(user, store);
        }
        return store;
    }

    @Override
    public String mailboxFor(String user, String wanted, boolean create) throws IOException {
        var store = store(user);
        return MailboxAccess.existingOrInbox(wanted, create, store::exists, store::create, store::subscribe);
    }

    @Override
    public Placed append(String user, String mailbox, InputStream message, Instant date, Flags flags)
            throws IOException {
        try (var ticket = quotas.ticket(user)) {
            return append(user, mailbox, message, date, flags, ticket);
        }
    }

    @Override
    public Placed copy(Placed source, String user, String mailbox) throws IOException {
        try (var ticket = quotas.ticket(user)) {
            var copies = store(source.user()).mailbox(source.mailbox())
                    .copyTo(store(user).mailbox(mailbox), List.of(source.message()), ticket);
            ticket.commit();
            return new Placed(user, mailbox, copies.getFirst());
        }
    }

    @Override
    public void appendNotice(String user, InputStream message, Instant date) throws IOException {
        try (var ticket = quotas.exemptTicket(user)) {
            append(user, INBOX, message, date, Flags.NONE, ticket);
        }
    }

    private Placed append(String user, String mailbox, InputStream message, Instant date, Flags flags,
            Quotas.Ticket ticket) throws IOException {
        var stored = store(user).mailbox(mailbox).append(message, flags.system(), flags.keywords(), date, ticket);
        ticket.commit();
        return new Placed(user, mailbox, stored);
    }
}
