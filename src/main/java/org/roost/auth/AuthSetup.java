package org.roost.auth;

import java.time.InstantSource;
import java.util.Optional;
import org.roost.config.RoostConfig;

/** Builds the login path of the server from its configuration (the databases: {@code auth.setup.UserDirectory}). */
public final class AuthSetup {
    private AuthSetup() {}

    public static LoginPolicy policy(RoostConfig.Auth auth) {
        var p = auth.penalty();
        return new LoginPolicy(p.initialDelay(), p.maxDelay(), p.decay(), p.ipv6Prefix(), p.maxAddresses(),
                auth.maxConcurrentVerificationsPerUser(), auth.maxWaitingAddressesPerUser());
    }

    public static Authenticator authenticator(RoostConfig.Auth auth, PasswordDatabase database,
            Optional<TokenService> tokens, LoginEvents events) {
        return new Authenticator(database, tokens, policy(auth), InstantSource.system(),
                new VerificationGate(auth.maxConcurrentVerifications()), events, Authenticator.Pause.SLEEP);
    }
}
