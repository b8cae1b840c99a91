package org.roost.storage;

import java.io.IOException;

/** A mail storage format (Maildir, mbox, a database): opens one user's mail store. */
public interface StorageDriver {

    /**
     * Opens {@code user}'s store, creating its layout if it is missing; the driver knows where a
     * user's mail lives (a directory under its location, rows in its database).
     *
     * @throws IllegalArgumentException if the user name cannot name a store (e.g. it would escape the location)
     */
    MailStore open(String user) throws IOException;
}
