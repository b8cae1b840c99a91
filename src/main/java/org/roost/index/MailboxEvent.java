package org.roost.index;

import java.util.List;
import java.util.Set;
import org.roost.acl.Acl;

/**
 * Something that happened to one of a user's mailboxes, told to whoever listens to that user's mail
 * ({@link Mailboxes#listen}): NOTIFY (RFC 5465 §5). Events carry names, never messages: a listener
 * reads what it needs from the mailbox's state.
 */
public sealed interface MailboxEvent {

    /** The mailbox the event is about; for a rename, its new name. */
    String mailbox();

    /** What happened to the messages of a mailbox. */
    enum MessageChange { NEW, EXPUNGED, FLAGS }

    /**
     * Messages of {@code mailbox} were added, expunged or had their flags changed (by anyone, any protocol);
     * {@code flags}: the system flags ({@code 1 << flag.ordinal()}) and {@link #KEYWORDS} those changes changed, so
     * that a change of flags another user keeps privately ({@link PrivateFlags}) is not told to them.
     */
    record MessagesChanged(String mailbox, Set<MessageChange> kinds, int flags) implements MailboxEvent {
        /** In {@link #flags}: keywords changed. */
        public static final int KEYWORDS = 1 << 30;
        /** Flags unknown: any may have changed. */
        public static final int ANY_FLAGS = -1;

        public MessagesChanged(String mailbox, Set<MessageChange> kinds) {
            this(mailbox, kinds, ANY_FLAGS);
        }

        /** Whether this tells nothing but changes of the flags of {@code mask}. */
        boolean onlyFlags(int mask) {
            return kinds.equals(Set.of(MessageChange.FLAGS)) && (flags & ~mask) == 0;
        }
    }

    /**
     * The hierarchy or the subscriptions changed through {@code origin} (the {@link Mailboxes} of the
     * session that did it, so that session can tell its own changes, RFC 5465 §5).
     */
    sealed interface NameChange extends MailboxEvent {
        Mailboxes origin();
    }

    record Created(String mailbox, Mailboxes origin) implements NameChange {}

    /** {@code acl}: the mailbox's ACL as it was before it went, which says who may learn that it did. */
    record Deleted(String mailbox, Mailboxes origin, Acl acl) implements NameChange {
        public Deleted(String mailbox, Mailboxes origin) {
            this(mailbox, origin, Acl.EMPTY);
        }
    }

    record Renamed(String oldName, String mailbox, Mailboxes origin) implements NameChange {}

    record SubscriptionChanged(String mailbox, Mailboxes origin) implements NameChange {}

    /**
     * Annotations (RFC 5464) of {@code mailbox}, or of the server when it is {@link Annotations#SERVER}, were set
     * or removed through {@code origin}: {@code entries} names them.
     */
    record AnnotationsChanged(String mailbox, List<String> entries, Mailboxes origin) implements MailboxEvent {}
}
