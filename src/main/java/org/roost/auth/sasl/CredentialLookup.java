package org.roost.auth.sasl;

import java.util.Optional;

/** Where the SASL engine finds a user's credential; implemented by the login path over the user databases. */
public interface CredentialLookup {

    /** The user's credential, or empty when the user is unknown or may not log in. */
    Optional<Credential> credential(String user);

    /**
     * Judges an OAuth 2.0 bearer token (OAUTHBEARER, XOAUTH2); {@code claimedUser} is the name the client says the
     * token is for, when it says one. Lookups without a token service reject every token.
     */
    default TokenCheck bearerToken(String token, Optional<String> claimedUser) {
        return new TokenCheck.Rejected("no OAuth 2.0 token service is configured");
    }

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
