package org.roost.imap.notify;

import java.io.IOException;
import java.util.Map;
import java.util.Set;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.ListResponse;
import org.roost.index.MailboxEvent;
import org.roost.mail.MailboxInfo;
import org.roost.imap.protocol.MailboxNaming;

/**
 * The LIST responses of MailboxName and SubscriptionChange events (RFC 5465 §5.4, §5.5), their attributes
 * computed from one listing taken after the events: {@code \NonExistent} for a name that is gone, the
 * CHILDREN attributes, and {@code \Subscribed} exactly for subscribed names.
 */
final class NameLists {
    private final ImapWriter writer;
    private final char delimiter;
    private final Map<String, MailboxInfo> listing;
    private final Set<String> subscribed;
    private final MailboxNaming naming;

    NameLists(ImapWriter writer, char delimiter, Map<String, MailboxInfo> listing, Set<String> subscribed,
            MailboxNaming naming) {
        this.writer = writer;
        this.naming = naming;
        this.delimiter = delimiter;
        this.listing = listing;
        this.subscribed = subscribed;
    }

    void write(MailboxEvent.NameChange change) throws IOException {
        switch (change) {
            case MailboxEvent.Created c -> withParent(c.mailbox());
            case MailboxEvent.Deleted d -> withParent(d.mailbox());
            // children are renamed with it, and not told of (§5.4)
            case MailboxEvent.Renamed r -> ListResponse.renamed(writer, attributes(r.mailbox()), delimiter,
                    naming.encode(r.mailbox()), naming.encode(r.oldName()));
            case MailboxEvent.SubscriptionChanged s -> list(s.mailbox());
        }
    }

    /** §5.4: a created or deleted mailbox and its direct parent, whether that exists or not. */
    private void withParent(String name) throws IOException {
        list(name);
        int cut = name.lastIndexOf(delimiter);
        if (cut > 0) {
            list(name.substring(0, cut));
        }
    }

    private void list(String name) throws IOException {
        ListResponse.write(writer, "LIST", attributes(name), delimiter, naming.encode(name));
    }

    private String attributes(String name) {
        var info = listing.get(name);
        var out = new StringBuilder();
        if (info == null) {
            out.append("\\NonExistent");
        } else {
            out.append(info.selectable() ? "" : "\\Noselect ").append(info.hasChildren() ? "\\HasChildren" : "\\HasNoChildren");
        }
        if (subscribed.contains(name)) {
            out.append(" \\Subscribed");
        }
        return out.toString();
    }
}
