package org.roost.pop3;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One POP3 session per maildrop at a time (RFC 1939 §8: the server acquires an exclusive lock on
 * the maildrop). A second session is answered {@code -ERR [IN-USE]} (RFC 2449 §8.1.1).
 * IMAP sessions do not take this lock: they share the mailbox through its MailboxState. The lock is keyed by
 * where the mail is ({@code Mailboxes.where()}), so two user names for one maildrop share it.
 */
public final class MaildropLocks {
    private final ConcurrentHashMap<String, Lease> held = new ConcurrentHashMap<>();

    /** A held lock; closing it releases the maildrop (idempotent). */
    public final class Lease implements AutoCloseable {
        private final String maildrop;

        private Lease(String maildrop) {
            this.maildrop = maildrop;
        }

        @Override
        public void close() {
            held.remove(maildrop, this);
        }
    }

    /** The lock on {@code maildrop}, or empty when another POP3 session holds it. */
    public Optional<Lease> tryLock(String maildrop) {
        var lease = new Lease(maildrop);
        return held.putIfAbsent(maildrop, lease) == null ? Optional.of(lease) : Optional.empty();
    }
}
