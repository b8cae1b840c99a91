package org.roost.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import org.roost.storage.InvalidMailboxNameException;
import org.roost.storage.MailStore;
import org.roost.storage.MailboxExistsException;
import org.roost.storage.StoredMessage;

/**
 * How delivery reaches users' mailboxes: through the server's index, so that open sessions see new mail at
 * once, or straight into the store for a process of its own ({@code roost deliver}). Additions go through the
 * user's quota.
 */
public interface MailboxAccess {
    String INBOX = "INBOX";

    /** A delivered message: where it went, so that the next recipient can get a link to the same file. */
    record Placed(String user, String mailbox, StoredMessage message) {}

    /**
     * {@code wanted} when it is a mailbox of {@code user} (created first when {@code create} and it is missing),
     * else INBOX. A name the store cannot have also means INBOX.
     */
    String mailboxFor(String user, String wanted, boolean create) throws IOException;

    /** {@link #mailboxFor} in {@code store}: the same rule wherever delivery writes. */
    static String existingOrInbox(MailStore store, String wanted, boolean create) throws IOException {
        try {
            if (store.exists(wanted)) {
                return wanted;
            }
            if (create) {
                store.create(wanted);
                store.subscribe(wanted);
                return wanted;
            }
        } catch (MailboxExistsException createdMeanwhile) {
            return wanted;
        } catch (InvalidMailboxNameException e) {
            // not a name this store can have: INBOX
        }
        return INBOX;
    }

    /** Stores {@code message} in the mailbox; refused when over quota. */
    Placed append(String user, String mailbox, InputStream message, Instant date) throws IOException;

    /** Stores a copy of {@code source} (a hard link where the store allows); refused when over quota. */
    Placed copy(Placed source, String user, String mailbox) throws IOException;

    /** Stores one of the server's own notices in the user's INBOX: counted in the quota, never refused. */
    void appendNotice(String user, InputStream message, Instant date) throws IOException;
}
