package org.roost.storage;

import java.io.IOException;
import java.nio.file.Path;

/** A mail storage format (Maildir, mbox, ...): opens one user's mail store. */
public interface StorageDriver {

    /** Opens the store rooted at {@code userRoot}, creating the root layout if it is missing. */
    MailStore open(Path userRoot) throws IOException;
}
