package org.roost.auth;

import org.roost.auth.sasl.TokenCheck;

/** Judges OAuth 2.0 bearer tokens (auth.oauth2): locally as JWTs against a JWKS, or by RFC 7662 introspection. */
public interface TokenService {

    /**
     * The user a valid token names, or why it is rejected; throws {@link DatabaseUnavailable} when the identity
     * provider cannot be asked in time.
     */
    TokenCheck verify(String token);

    /** A rejection with the hints the RFC 7628 error carries (scope, discovery URL), for checks made elsewhere. */
    TokenCheck.Rejected rejection(String detail);

    /** Whether a token's user must also be known to a user database ({@code auth.oauth2.requireKnownUser}). */
    boolean requireKnownUser();

    /** Whether the identity provider answered lately, and where it is (for {@code /health/ready}). */
    PasswordDatabase.Status status();
}
