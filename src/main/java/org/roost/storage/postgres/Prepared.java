package org.roost.storage.postgres;

import java.time.Instant;
import org.roost.storage.PreparedMessage;

/** What {@link PostgresMailbox} prepares: a body uploaded for a new message, or a message of this store to copy. */
sealed interface Prepared extends PreparedMessage {

    /** A body in the object store whose row claims it ({@link Bodies#upload}); {@code key} is its SHA-256 in hex. */
    record Uploaded(String key, long size, long virtualSize, Instant internalDate) implements Prepared {}

    /** Message {@code uid} of mailbox {@code mailboxId}, whose body the copy shares. */
    record Copied(long mailboxId, long uid, long size, long virtualSize, Instant internalDate)
            implements Prepared {}
}
