package org.roost.sieve;

import java.util.List;
import java.util.Set;

/** What a Sieve run decided to do with the message; delivery carries the actions out after the run. */
public sealed interface Action {
    /** Store in {@code mailbox} (INBOX for keep) with {@code flags} (system flags as {@code \Seen}, keywords). */
    record Store(String mailbox, Set<String> flags, boolean create) implements Action {}

    /** Send the message on to {@code address} (RFC 5228 §4.2). */
    record Redirect(String address) implements Action {}

    /** Refuse the message with {@code reason} (RFC 5429), at the protocol level. */
    record Reject(String reason) implements Action {}

    /**
     * Answer the sender (RFC 5230): {@code to} the sender, {@code from} the address to answer from, the reply's
     * {@code subject}, its body {@code reason} ({@code mime}: a whole MIME entity), {@code days} between replies to
     * one sender for one {@code handle}, and the original's {@code messageId} for In-Reply-To.
     */
    record Vacation(String to, String from, String subject, String reason, boolean mime, String handle,
            long seconds, String messageId, List<String> references) implements Action {}
}
