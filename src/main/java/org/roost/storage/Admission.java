package org.roost.storage;

import org.roost.mail.OverQuotaException;
import org.roost.mail.StorageException;

/**
 * Decides whether new messages may enter a mailbox, once their size is known and before they become
 * visible (the quota's hook into every path into the store).
 */
@FunctionalInterface
public interface Admission {
    /** Lets everything in. */
    Admission ANY = (bytes, messages) -> { };

    /** @throws OverQuotaException (or another refusal) when {@code messages} messages of {@code bytes} bytes may not enter */
    void admit(long bytes, int messages) throws StorageException;
}
