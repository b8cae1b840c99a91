package org.roost.server;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.config.RoostConfig;
import org.roost.sieve.ScriptStores;
import org.roost.sieve.SieveEvents;
import org.roost.sieve.SieveFilter;

/** Sieve wired to the user databases: each user's {@code ~} is their database's {@code home}. */
final class SieveSetup {
    private SieveSetup() {}

    static ScriptStores stores(RoostConfig config, PasswordDatabase users) {
        return new ScriptStores(config.sieve(), config.mail().fsync(), user -> home(users, user));
    }

    /** The filter delivery runs, or none when {@code sieve.enabled} is off. */
    static Optional<SieveFilter> filter(RoostConfig config, PasswordDatabase users, SieveEvents events) {
        if (!config.sieve().enabled()) {
            return Optional.empty();
        }
        return Optional.of(new SieveFilter(config.sieve(), config.delivery(), config.mail().fsync(),
                stores(config, users), events, Clock.systemDefaultZone()));
    }

    private static Optional<String> home(PasswordDatabase users, String user) throws IOException {
        try {
            return users.user(UserQuery.internal(user)).map(UserRecord::home);
        } catch (DatabaseUnavailable e) {
            throw new IOException("the user database did not answer: " + e.getMessage(), e);
        }
    }
}
