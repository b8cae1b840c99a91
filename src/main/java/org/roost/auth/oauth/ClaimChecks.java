package org.roost.auth.oauth;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.roost.auth.sasl.TokenCheck;
import org.roost.config.RoostConfig;

/** What every valid token must say, whichever way it was judged: the issuer, an audience, a user name. */
final class ClaimChecks {
    private static final int MAX_USER_NAME = 255;
    private final RoostConfig.OAuth2 config;

    ClaimChecks(RoostConfig.OAuth2 config) {
        this.config = config;
    }

    /** The user the claims name, or why they do not do for a login here. */
    TokenCheck judge(Optional<String> issuer, Collection<String> audience, Object username) {
        if (config.issuer() != null && !config.issuer().equals(issuer.orElse(null))) {
            return rejected("issued by " + issuer.orElse("nobody") + ", not " + config.issuer());
        }
        List<String> wanted = config.audience() == null ? List.of() : config.audience();
        if (!wanted.isEmpty() && audience.stream().noneMatch(wanted::contains)) {
            return rejected("meant for " + audience + ", not " + wanted);
        }
        if (!(username instanceof String name) || name.isBlank() || name.length() > MAX_USER_NAME
                || name.codePoints().anyMatch(Character::isISOControl)) {
            return rejected("claim '" + config.usernameClaim() + "' is missing or not a user name");
        }
        return new TokenCheck.Valid(name);
    }

    TokenCheck.Rejected rejected(String detail) {
        return new TokenCheck.Rejected(detail, Optional.ofNullable(config.scope()),
                Optional.ofNullable(config.openidConfiguration()));
    }
}
