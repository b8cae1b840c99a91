package org.roost.auth.sasl;

import java.util.Optional;

/** Where the SASL engine finds a user's stored password; implemented by the password database. */
@FunctionalInterface
public interface CredentialLookup {

    /** The stored {@code {SCHEME}value} for the user, or empty when the user is unknown. */
    Optional<String> storedPassword(String user);
}
