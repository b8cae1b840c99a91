package org.roost.storage;

import java.io.IOException;
import java.util.SequencedMap;

/**
 * Annotations (RFC 5464 metadata) that a store keeps in its own records rather than in files beside its mailboxes
 * ({@link MailStore#annotationDirectory}): each mailbox's, renamed and deleted with it, and the user's own of the
 * server. Entry names and values arrive checked; the bounds on how many a mailbox keeps are the caller's, applied in
 * the {@link Edit}.
 */
public interface KeptAnnotations {
    /** The server's entries, as a mailbox name. */
    String SERVER = "";

    /**
     * The entries of {@code mailbox} ({@link #SERVER}: the user's server entries) by name.
     *
     * @throws org.roost.mail.MailboxNotFoundException if there is no such mailbox
     */
    SequencedMap<String, byte[]> read(String mailbox) throws IOException;

    /**
     * Hands {@code edit} the entries of {@code mailbox} while every other writer, on any server, waits; stores what
     * the edit leaves, all or none, and returns the edit's result. The edit may run more than once (a transaction
     * retried), each time on the entries as then stored.
     *
     * @throws org.roost.mail.MailboxNotFoundException if there is no such mailbox
     */
    <T> T update(String mailbox, Edit<T> edit) throws IOException;

    /** A change of one mailbox's entries, made in place. */
    @FunctionalInterface
    interface Edit<T> {
        T apply(SequencedMap<String, byte[]> entries) throws IOException;
    }
}
