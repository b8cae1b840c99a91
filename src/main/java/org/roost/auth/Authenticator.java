package org.roost.auth;

import java.util.Optional;
import org.roost.auth.password.Passwords;
import org.roost.auth.sasl.CredentialLookup;

/** The password database as the protocols use it: users who may log in, with their stored secrets. */
public final class Authenticator implements CredentialLookup {
    private static final String DUMMY_HASH =
            "{SHA512-CRYPT}$6$roostdummysalt$0pbOSRmDOfWZ1gOsa0Ac.aH1C9gWpo7ABLOAJ1QqeeyA0tCk8u0VtOQz7dVsr6CWbJzbv0V4VUnqFaOPeiRg2.";
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
        var stored = storedPassword(user);
        boolean matches = Passwords.verify(stored.orElse(DUMMY_HASH), password);
        return matches && stored.isPresent();
    }

    public Optional<UserRecord> user(String name) {
        return database.lookup(name);
    }
}
