package org.roost.auth.sasl;

import java.util.Optional;

/** Where the SASL engine finds a user's stored password; implemented by the password database. */
@FunctionalInterface
public interface CredentialLookup {

    /** The stored {@code {SCHEME}value} for the user, or empty when the user is unknown. */
    Optional<String> storedPassword(String user);

    /**
     * Thrown by a lookup that will not answer now (the user's checks are busy, the session is ending): the
     * exchange fails as temporarily unavailable, no password is tested, and nothing is logged as broken.
     */
    final class Declined extends RuntimeException {
        public Declined(String reason) {
            super(reason, null, false, false);
        }
    }
}
