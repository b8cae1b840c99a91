package org.roost.storage;

import java.io.IOException;
import java.util.List;

/** A mail storage format (Maildir, mbox, a database): finds and opens users' mail stores. */
public interface StorageDriver {

    /**
     * Where {@code user}'s mail lives (a directory under the configured location, or one the user's database
     * names).
     *
     * @throws org.roost.mail.MailUnavailableException if the user's mail cannot be reached now: the user database
     *         did not answer, or the location it gave is refused
     * @throws IllegalArgumentException if the user name cannot name a store (e.g. it would escape the location)
     */
    UserLocation locate(String user) throws IOException;

    /** Opens the store at {@code location} (one {@link #locate} returned), creating its layout if it is missing. */
    MailStore open(UserLocation location) throws IOException;

    /**
     * Whether each mailbox has a directory of its own ({@link MailStore#annotationDirectory}), where the files
     * other programs keep beside the mail (Dovecot's {@code dovecot-acl}) are found.
     */
    default boolean hasMailboxDirectories() {
        return true;
    }

    /**
     * The services this driver's mail lives in besides the file system (a database, an object store), each asked
     * now (so each may take up to the driver's timeout); none by default.
     */
    default List<ServiceStatus> services() {
        return List.of();
    }

    /** Where the driver tells how its calls to those services went, from now on; by default it calls none. */
    default void meter(ServiceEvents events) {
    }
}
