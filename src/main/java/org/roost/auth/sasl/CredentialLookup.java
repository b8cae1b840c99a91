package org.roost.auth.sasl;

import java.util.Optional;

/** The password database as SASL mechanisms see it. */
public interface CredentialLookup {
    /** The stored password ("{SCHEME}data") of {@code user}, empty when the user is unknown. */
    Optional<String> storedPassword(String user);
}
