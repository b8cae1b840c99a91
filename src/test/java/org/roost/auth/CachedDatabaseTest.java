package org.roost.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.roost.auth.sasl.Credential;

/** The lookup cache: answers kept, failures never, flushes by user or whole, remembered LDAP binds. */
class CachedDatabaseTest {
    private final AtomicInteger asked = new AtomicInteger();
    private volatile boolean down;
    private final RemoteSource source = new RemoteSource() {
        @Override
        public String name() {
            return "sql";
        }

        @Override
        public UserQuery relevant(UserQuery query) {
            return new UserQuery(query.user(), "", null);
        }

        @Override
        public Optional<UserRecord> lookup(UserQuery query) {
            asked.incrementAndGet();
            if (down) {
                throw new DatabaseUnavailable("sql: down");
            }
            return query.user().equals("ann") ? Optional.of(new UserRecord("ann", "{PLAIN}pw", "", "", "", Map.of()))
                    : Optional.empty();
        }

        @Override
        public List<String> userNames(int limit) {
            return List.of();
        }

        @Override
        public Status status() {
            return new Status(true, "test");
        }

        @Override
        public void reload() {}

        @Override
        public void close() {}
    };

    private final CachedDatabase cache = new CachedDatabase(source, 100, Duration.ofMinutes(5), Duration.ofMinutes(1),
            DatabaseEvents.NONE);

    private Optional<UserRecord> lookup(String user, String service) {
        return cache.lookup(new UserQuery(user, service, null));
    }

    @Test
    void positiveAndNegativeAnswersAreKeptPerRelevantKey() {
        lookup("ann", "imap");
        lookup("ann", "pop3");
        lookup("nobody", "imap");
        lookup("nobody", "imap");
        assertEquals(2, asked.get(), "the service is not part of this database's queries, so not of the key");
        assertEquals(new CachedDatabase.Stats("sql", 2, 2, 2), cache.stats());
    }

    @Test
    void aFailureIsNeverCached() {
        down = true;
        assertThrows(DatabaseUnavailable.class, () -> lookup("ann", "imap"));
        down = false;
        assertTrue(lookup("ann", "imap").isPresent(), "asked again at once, not answered 'unknown'");
        assertEquals(2, asked.get());
    }

    @Test
    void flushingForgetsOneUserOrAll() {
        lookup("ann", "imap");
        lookup("nobody", "imap");
        assertEquals(1, cache.flush("ann"));
        lookup("ann", "imap");
        assertEquals(3, asked.get());
        assertEquals(2, cache.flush());
        lookup("nobody", "imap");
        assertEquals(4, asked.get());
    }

    @Test
    void aCachedBindRemembersOnlyTheLastAcceptedPassword() {
        var binds = new AtomicInteger();
        var ldap = new CachedDatabase(new DelegatingSource(source) {
            @Override
            public Optional<UserRecord> lookup(UserQuery query) {
                return Optional.of(new UserRecord("ann", new Credential.Remote(password -> {
                    binds.incrementAndGet();
                    return new String(password).equals("right");
                }), "", "", "", Map.of()));
            }
        }, 10, Duration.ofMinutes(5), Duration.ofMinutes(1), DatabaseEvents.NONE);
        var check = ((Credential.Remote) ldap.lookup(UserQuery.internal("ann")).orElseThrow().credential()).check();
        assertTrue(check.matches("right".getBytes()));
        var again = ((Credential.Remote) ldap.lookup(UserQuery.internal("ann")).orElseThrow().credential()).check();
        assertTrue(again.matches("right".getBytes()));
        assertEquals(1, binds.get(), "the repeated right password needed no bind");
        assertTrue(!again.matches("wrong".getBytes()) && !again.matches("wrong".getBytes()));
        assertEquals(3, binds.get(), "every other password goes to the directory");
    }

    private abstract static class DelegatingSource implements RemoteSource {
        private final RemoteSource inner;

        DelegatingSource(RemoteSource inner) {
            this.inner = inner;
        }

        @Override
        public String name() {
            return "ldap";
        }

        @Override
        public UserQuery relevant(UserQuery query) {
            return inner.relevant(query);
        }

        @Override
        public List<String> userNames(int limit) {
            return List.of();
        }

        @Override
        public Status status() {
            return inner.status();
        }

        @Override
        public void reload() {}

        @Override
        public void close() {}
    }
}
