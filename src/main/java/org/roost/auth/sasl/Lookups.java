package org.roost.auth.sasl;

import java.util.Optional;
import org.roost.auth.password.Passwords;
import org.roost.auth.password.Verification;

/** Looking up a user and checking a password, with the same work and answer for unknown users. */
final class Lookups {

    /** The credential store failed; {@link GuardedExchange} reports it as a temporary failure. */
    static final class LookupFailed extends RuntimeException {
        LookupFailed(RuntimeException cause) {
            super(cause);
        }
    }

    private Lookups() {
    }

    static Optional<String> storedPassword(CredentialLookup credentials, String user) {
        try {
            return credentials.storedPassword(user);
        } catch (CredentialLookup.Declined notNow) {
            throw notNow;
        } catch (RuntimeException storeError) {
            throw new LookupFailed(storeError);
        }
    }

    /** Success when the password matches; an unknown user costs a decoy verification and fails alike. */
    static SaslStep checkPassword(CredentialLookup credentials, String user, byte[] password) {
        Optional<String> stored = storedPassword(credentials, user);
        if (stored.isEmpty()) {
            Decoys.verifyPassword(password);
            return Failures.credentials("unknown user");
        }
        Decoys.sawStoredPassword(stored.get());
        Verification result = Passwords.check(stored.get(), password);
        return result.matches() ? new SaslStep.Success(user) : Failures.credentials(result.reason());
    }
}
