package org.roost.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Several databases asked in order; the first that knows a user decides (its answer, even "may not log in",
 * is final: a later database cannot revive a user an earlier one refused).
 */
public final class PasswordChain implements PasswordDatabase {
    private final List<PasswordDatabase> databases;

    public PasswordChain(List<PasswordDatabase> databases) {
        if (databases.isEmpty()) {
            throw new IllegalArgumentException("a password chain needs at least one database");
        }
        this.databases = List.copyOf(databases);
    }

    @Override
    public Optional<UserRecord> lookup(String user) {
        for (var database : databases) {
            var found = database.lookup(user);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    @Override
    public void reload() throws IOException {
        for (var database : databases) {
            database.reload();
        }
    }

    @Override
    public int size() {
        return databases.stream().mapToInt(PasswordDatabase::size).sum();
    }

    public List<PasswordDatabase> databases() {
        return databases;
    }
}
