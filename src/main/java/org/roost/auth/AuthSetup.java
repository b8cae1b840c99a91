package org.roost.auth;

import java.io.IOException;
import java.time.InstantSource;
import java.util.ArrayList;
import org.roost.config.RoostConfig;

/** Builds the authentication side of the server from its configuration. */
public final class AuthSetup {
    private AuthSetup() {}

    /** The databases of {@code auth.databases} in order; {@code system} only when {@code auth.system} is true. */
    public static PasswordDatabase database(RoostConfig.Auth auth) throws IOException {
        var chain = new ArrayList<PasswordDatabase>();
        for (var name : auth.databases()) {
            switch (name) {
                case "passwdFile" -> chain.add(new PasswdFile(auth.passwdFile()));
                case "system" -> {
                    if (auth.system()) {
                        chain.add(new SystemUsers(auth.passwdPath(), auth.shadowPath(), auth.systemMinUid(),
                                InstantSource.system()));
                    }
                }
                default -> throw new IllegalArgumentException("unknown password database " + name);
            }
        }
        return chain.size() == 1 ? chain.getFirst() : new PasswordChain(chain);
    }

    public static LoginPolicy policy(RoostConfig.Auth auth) {
        var p = auth.penalty();
        return new LoginPolicy(p.initialDelay(), p.maxDelay(), p.decay(), p.ipv6Prefix(), p.maxAddresses(),
                auth.maxConcurrentVerificationsPerUser(), auth.maxWaitingAddressesPerUser());
    }

    public static Authenticator authenticator(RoostConfig.Auth auth, PasswordDatabase database, LoginEvents events) {
        return new Authenticator(database, policy(auth), InstantSource.system(),
                new VerificationGate(auth.maxConcurrentVerifications()), events, Authenticator.Pause.SLEEP);
    }
}
