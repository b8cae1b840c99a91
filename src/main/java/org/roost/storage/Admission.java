package org.roost.storage;

import java.util.List;
import org.roost.mail.OverQuotaException;
import org.roost.mail.StorageException;
import org.roost.mail.StoredMessage;

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

    /** {@link #admit} for copies of {@code messages}, each of its size as stored. */
    default void admitCopies(List<StoredMessage> messages) throws StorageException {
        long bytes = 0;
        for (var message : messages) {
            bytes += message.physicalSize();
        }
        admit(bytes, messages.size());
    }
}
