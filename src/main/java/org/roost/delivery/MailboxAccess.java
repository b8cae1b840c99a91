package org.roost.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Set;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxExistsException;
import org.roost.mail.StoredMessage;
import org.roost.mail.SystemFlag;

/**
 * How delivery reaches users' mailboxes: through the server's index, so that open sessions see new mail at
 * once, or straight into the store for a process of its own ({@code roost deliver}). Additions go through the
 * user's quota.
 */
public interface MailboxAccess {
    String INBOX = "INBOX";

    /** A delivered message: where it went, so that the next recipient can get a link to the same file. */
    record Placed(String user, String mailbox, StoredMessage message) {
        /** Whether a link to this copy would carry exactly {@code flags} (a link keeps the copy's flags). */
        boolean carries(Flags flags) {
            return message.flags().equals(flags.system()) && message.keywords().equals(flags.keywords());
        }
    }

    /** The flags a delivered message starts with (Sieve's imap4flags, RFC 5232). */
    record Flags(Set<SystemFlag> system, Set<String> keywords) {
        public static final Flags NONE = new Flags(Set.of(), Set.of());
    }

    /**
     * {@code wanted} when it is a mailbox of {@code user} (created first when {@code create} and it is missing),
     * else INBOX. A name the store cannot have also means INBOX.
     */
    String mailboxFor(String user, String wanted, boolean create) throws IOException;

    /** A question about a mailbox name of the store delivery writes to. */
    @FunctionalInterface
    interface NameCheck {
        boolean test(String name) throws IOException;
    }

    /** A change by mailbox name in the store delivery writes to. */
    @FunctionalInterface
    interface NameChange {
        void apply(String name) throws IOException;
    }

    /** {@link #mailboxFor} over a store's {@code exists}, {@code create} and {@code subscribe}: one rule wherever delivery writes. */
    static String existingOrInbox(String wanted, boolean create, NameCheck exists, NameChange creator,
            NameChange subscriber) throws IOException {
        try {
            if (exists.test(wanted)) {
                return wanted;
            }
            if (create) {
                creator.apply(wanted);
                subscriber.apply(wanted);
                return wanted;
            }
        } catch (MailboxExistsException createdMeanwhile) {
            return wanted;
        } catch (InvalidMailboxNameException e) {
            // not a name this store can have: INBOX
        }
        return INBOX;
    }

    /** Stores {@code message} in the mailbox with {@code flags}; refused when over quota. */
    Placed append(String user, String mailbox, InputStream message, Instant date, Flags flags) throws IOException;

    /** Stores a copy of {@code source} (a hard link where the store allows); refused when over quota. */
    Placed copy(Placed source, String user, String mailbox) throws IOException;

    /** Stores one of the server's own notices in the user's INBOX: counted in the quota, never refused. */
    void appendNotice(String user, InputStream message, Instant date) throws IOException;
}
