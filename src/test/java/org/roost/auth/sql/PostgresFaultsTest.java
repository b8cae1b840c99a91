package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.ExternalServers;
import org.roost.testing.Logins;
import org.roost.testing.PostgresServer;
import org.roost.testing.Postfixadmin;
import org.roost.testing.TestServer;

/**
 * PostgreSQL made slow ({@code pg_sleep} in the query), killed in the middle of logins, returning rows that
 * cannot be a user, or absent at start: the client gets {@code NO [UNAVAILABLE]} within the timeout (never a hung
 * login, never "wrong password"), passwd-file users are served throughout, and logins work again as soon as the
 * database is back. The cache is off, so every login asks the database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class PostgresFaultsTest {
    static final String UNAVAILABLE = "NO [UNAVAILABLE] Temporary authentication failure.";
    static final String REFUSED = "NO [AUTHENTICATIONFAILED] Authentication failed.";
    Path dir;
    PostgresServer postgres;
    TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        this.dir = dir;
        postgres = PostgresServer.start(dir);
        Postfixadmin.createOnPostgres(postgres);
        postgres.execute("postfix", """
                CREATE TABLE odd (username text, password text);
                INSERT INTO odd VALUES ('twice@example.org', '{PLAIN}a'), ('twice@example.org', '{PLAIN}b'),
                  ('junk@example.org', E'{SHA512-CRYPT}\\u00e9\\t$6$$$not-a-hash\\\\'), ('fine@example.org', '{PLAIN}fine');
                GRANT SELECT ON odd TO roost;
                """);
        try (var c = DriverManager.getConnection(postgres.url("postfix"), "postgres",
                PostgresServer.SUPERUSER_PASSWORD)) {
            Postfixadmin.add(c, "slow@example.org", "{PLAIN}slow-secret", true, 0);
        }
        roost = TestServer.start(dir.resolve("roost"), sql(postgres.url("postfix"),
                "SELECT password FROM mailbox, pg_sleep(CASE WHEN username LIKE 'slow%%' THEN 30 ELSE 0 END)"
                        + " WHERE username = '%u' AND active"));
    }

    private Map<String, String> sql(String url, String passwordQuery) {
        var env = new HashMap<>(Postfixadmin.roostEnvironment(url));
        env.put("ROOST_AUTH_SQL_PASSWORDQUERY", passwordQuery);
        env.put("ROOST_AUTH_SQL_TIMEOUT", "1s");
        env.put("ROOST_AUTH_CACHE_SIZE", "0");
        return env;
    }

    @AfterAll
    void stop() throws Exception {
        if (roost != null) {
            roost.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void aSlowQueryIsUnavailableWithinTheTimeoutAndHoldsNothing() throws Exception {
        int threadsBefore = Thread.getAllStackTraces().size();
        var answers = ConcurrentHashMap.<String>newKeySet();
        var logins = new ArrayList<Thread>();
        for (int i = 0; i < 12; i++) {
            logins.add(Thread.ofVirtual().start(() -> {
                try {
                    answers.add(Logins.raw(roost, "slow@example.org", "slow-secret"));
                } catch (Exception e) {
                    answers.add(e.toString());
                }
            }));
        }
        for (var login : logins) {
            login.join();
        }
        assertEquals(Set.of(UNAVAILABLE), answers, "twelve slow logins, more than the pool holds");
        assertEquals("OK", Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret"),
                "the cancelled queries gave their connections back");
        assertTrue(Thread.getAllStackTraces().size() <= threadsBefore + 2,
                "no platform thread is left behind: " + threadsBefore + " -> " + Thread.getAllStackTraces().size());
        assertTrue(AdminClient.metrics(roost).contains(
                "roost_auth_lookups_total{database=\"sql\",result=\"unavailable\"}"));
    }

    @Test
    void rowsThatCannotBeAUserAreTheRightAnswers() throws Exception {
        try (var odd = TestServer.start(dir.resolve("odd"), sql(postgres.url("postfix"),
                "SELECT password FROM odd WHERE username = '%u'"))) {
            assertEquals(UNAVAILABLE, Logins.raw(odd, "twice@example.org", "a"), "two rows for one user");
            assertEquals(REFUSED, Logins.raw(odd, "junk@example.org", "x"), "a hash that is no hash");
            assertEquals("OK [CAPABILITY", Logins.raw(odd, "fine@example.org", "fine").substring(0, 14));
        }
        try (var noPassword = TestServer.start(dir.resolve("nopassword"), sql(postgres.url("postfix"),
                "SELECT username FROM mailbox WHERE username = '%u'"))) {
            assertEquals(UNAVAILABLE, Logins.raw(noPassword, "alice@example.org", "alice-secret"),
                    "a password query without a password column is a broken database, not a wrong password");
        }
    }

    @Test
    void killedMidRunThenBackAgain() throws Exception {
        var seen = ConcurrentHashMap.<String>newKeySet();
        var running = new AtomicBoolean(true);
        var load = List.of(Thread.ofVirtual().start(() -> loginLoop(seen, running)),
                Thread.ofVirtual().start(() -> loginLoop(seen, running)));
        while (seen.isEmpty()) {
            Thread.sleep(20);
        }
        postgres.kill();
        while (!seen.contains(UNAVAILABLE)) {
            Thread.sleep(20);
        }
        assertEquals("OK", Logins.angus(roost.imapPort(), TestServer.BOB, TestServer.BOB_PASSWORD),
                "passwd-file users log in while the database is down");
        var ready = AdminClient.call(roost, "GET", "/health/ready");
        assertEquals(200, ready.statusCode(), "a user database that is down does not take the server out of service");
        postgres.startAgain();
        running.set(false);
        for (var t : load) {
            t.join();
        }
        // a login whose password lookup made it and whose user lookup (where the mail is) did not: UNAVAILABLE too
        assertTrue(seen.stream().allMatch(a -> a.equals("OK") || a.startsWith("NO [UNAVAILABLE] ")),
                "only success or unavailable, never refused: " + seen);
        String answer = "";
        for (int i = 0; i < 50 && !answer.equals("OK"); i++) {
            answer = Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret");
        }
        assertEquals("OK", answer, "logins work again once the database is back");
        var up = "\"name\":\"sql\",\"status\":\"UP\"";
        assertTrue(AdminClient.awaitHealth(roost, up).contains(up), "health sees it back");
    }

    private void loginLoop(Set<String> seen, AtomicBoolean running) {
        while (running.get()) {
            try {
                var answer = Logins.raw(roost, "alice@example.org", "alice-secret");
                seen.add(answer.startsWith("OK") ? "OK" : answer);
            } catch (Exception e) {
                seen.add(e.toString());
            }
        }
    }

    @Test
    void theServerStartsAndServesPasswdFileUsersWhileTheDatabaseIsUnreachable() throws Exception {
        int closedPort = ExternalServers.freePort();
        try (var offline = TestServer.start(dir.resolve("offline"), sql("jdbc:postgresql://127.0.0.1:" + closedPort
                + "/postfix", "SELECT password FROM mailbox WHERE username = '%u'"))) {
            assertEquals("OK", Logins.angus(offline.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD));
            assertEquals(UNAVAILABLE, Logins.raw(offline, "alice@example.org", "alice-secret"));
            var down = "\"name\":\"sql\",\"status\":\"DOWN\"";
            var ready = AdminClient.call(offline, "GET", "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(AdminClient.awaitHealth(offline, down).contains(down));
            assertTrue(Files.isDirectory(dir.resolve("offline")));
        }
    }
}
