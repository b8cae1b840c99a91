package org.roost.storage;

import java.nio.file.Path;

/**
 * Where one user's mail is: the location that applies to them (their own {@code mail} field or the configured
 * {@code mail.location}) and the home it expands with ({@code ""}: none).
 */
public record UserLocation(String user, MailLocation location, String home) {

    /** The user's root directory, absolute and normalized. */
    public Path root() {
        return location.root(user, home).toAbsolutePath().normalize();
    }

    /**
     * The identity of the store: two user names whose locations lead to one directory share one store, and so
     * one index and one state per mailbox.
     */
    public String key() {
        return location.format() + ':' + root();
    }
}
