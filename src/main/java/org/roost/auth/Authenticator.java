package org.roost.auth;

import java.util.Optional;
import org.roost.auth.sasl.CredentialLookup;
import org.roost.auth.sasl.SaslMechanisms;

/** The password database as the protocols use it: users who may log in, with their stored secrets. */
public final class Authenticator implements CredentialLookup {
    private final PasswordDatabase database;

    public Authenticator(PasswordDatabase database) {
        this.database = database;
    }

    @Override
    public Optional<String> storedPassword(String user) {
        return database.lookup(user).filter(u -> !u.noLogin()).map(UserRecord::password);
    }

    /**
     * Checks a plaintext password. Unknown users are checked against a dummy hash so that they
     * cost the same time as a wrong password (no user enumeration by timing).
     */
    public boolean verify(String user, byte[] password) {
        return SaslMechanisms.checkPassword(this, user, password);
    }

    public Optional<UserRecord> user(String name) {
        return database.lookup(name);
    }
}
