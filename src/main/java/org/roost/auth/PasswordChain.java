package org.roost.auth;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Several databases asked in order, as Dovecot's passdb and userdb chains. The first that knows a user decides:
 * its answer, even "may not log in", is final, so a later database cannot revive a user an earlier one refused.
 * For the same reason a database that cannot answer ends the lookup as unavailable instead of being skipped:
 * users found by an earlier database are unaffected (list {@code passwdFile} first to keep its users served
 * while SQL or LDAP is down).
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
    public String name() {
        return "chain";
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        return first(database -> database.lookup(query));
    }

    @Override
    public Optional<UserRecord> user(UserQuery query) {
        return first(database -> database.user(query));
    }

    private Optional<UserRecord> first(Function<PasswordDatabase, Optional<UserRecord>> lookup) {
        for (var database : databases) {
            var found = lookup.apply(database);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** The names of every database in order, at most {@code limit}; a name two databases know comes once. */
    @Override
    public List<String> userNames(int limit) {
        var names = new LinkedHashSet<String>();
        for (var database : databases) {
            if (names.size() >= limit) {
                break;
            }
            names.addAll(database.userNames(limit - names.size()));
        }
        return new ArrayList<>(names).subList(0, Math.min(limit, names.size()));
    }

    @Override
    public Status status() {
        var down = databases.stream().filter(d -> !d.status().up()).map(PasswordDatabase::name).toList();
        return new Status(down.isEmpty(), down.isEmpty() ? "every database answers" : "not answering: " + down);
    }

    /** Re-reads every file and forgets every cached answer. */
    @Override
    public void reload() throws IOException {
        for (var database : databases) {
            database.reload();
        }
    }

    /** Users held in memory by the file databases (passwd-file, system). */
    public int size() {
        return databases.stream().mapToInt(d -> d instanceof FileDatabase file ? file.size() : 0).sum();
    }

    public List<PasswordDatabase> databases() {
        return databases;
    }
}
