package org.roost.auth.sasl;

import java.util.Optional;

/** How an OAuth 2.0 bearer token was judged (a token service that cannot answer throws instead). */
public sealed interface TokenCheck {

    /** The token is valid and names {@code user}, who may log in. */
    record Valid(String user) implements TokenCheck {}

    /**
     * Expired, forged, meant for another audience or naming someone else; {@code detail} is for the log only.
     * {@code scope} and {@code openidConfiguration} go into the RFC 7628 error a client uses to get a new token.
     */
    record Rejected(String detail, Optional<String> scope, Optional<String> openidConfiguration)
            implements TokenCheck {
        public Rejected(String detail) {
            this(detail, Optional.empty(), Optional.empty());
        }
    }
}
