package org.roost.auth.sasl;

import java.util.Optional;
import java.util.function.Supplier;
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

    static Optional<Credential> credential(CredentialLookup credentials, String user) {
        return guarded(() -> credentials.credential(user));
    }

    static TokenCheck bearerToken(CredentialLookup credentials, String token, Optional<String> claimedUser) {
        return guarded(() -> credentials.bearerToken(token, claimedUser));
    }

    private static <T> T guarded(Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (CredentialLookup.Declined notNow) {
            throw notNow;
        } catch (RuntimeException storeError) {
            throw new LookupFailed(storeError);
        }
    }

    /** The stored value of a credential Roost verifies itself (what CRAM-MD5 and SCRAM need). */
    static Optional<String> storedValue(Credential credential) {
        return credential instanceof Credential.Stored stored ? Optional.of(stored.value()) : Optional.empty();
    }

    /** Why a mechanism that needs a stored secret cannot serve this user (for the log only). */
    static String unusableDetail(Optional<Credential> found, String mechanism) {
        return found.map(credential -> switch (credential) {
            case Credential.Stored stored -> "stored scheme " + Passwords.schemeOf(stored.value()) + " cannot serve "
                    + mechanism;
            case Credential.Remote remote -> "the user database checks passwords itself: " + mechanism + " cannot";
        }).orElse("unknown user");
    }

    /** Success when the password matches; an unknown user costs a decoy verification and fails alike. */
    static SaslStep checkPassword(CredentialLookup credentials, String user, byte[] password) {
        Optional<Credential> found = credential(credentials, user);
        if (found.isEmpty()) {
            Decoys.verifyPassword(password);
            return Failures.credentials("unknown user");
        }
        return switch (found.get()) {
            case Credential.Stored stored -> {
                Decoys.sawStoredPassword(stored.value());
                Verification result = Passwords.check(stored.value(), password);
                yield result.matches() ? new SaslStep.Success(user) : Failures.credentials(result.reason());
            }
            case Credential.Remote remote -> guarded(() -> remote.check().matches(password))
                    ? new SaslStep.Success(user) : Failures.credentials("password refused by the user database");
        };
    }
}
