package org.roost.auth;

import java.util.Optional;

/** Where users and their stored passwords come from. */
public interface PasswordDatabase {
    Optional<UserRecord> lookup(String user);
}
