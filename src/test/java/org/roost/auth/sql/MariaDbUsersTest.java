package org.roost.auth.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.FirstPingCutter;
import org.roost.testing.Logins;
import org.roost.testing.MariaDbServer;
import org.roost.testing.Postfixadmin;
import org.roost.testing.TestServer;
import org.roost.testing.ThreadDumps;

/**
 * The same Postfixadmin table on a private MariaDB, with the documented query that compares user names exactly
 * ({@code BINARY}: MariaDB's default collation ignores case, and the session keeps the name the client typed);
 * killed, it gives {@code NO [UNAVAILABLE]}; restarted, or lost while the pool checks its first connection,
 * logins work again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MariaDbUsersTest {
    MariaDbServer mariadb;
    TestServer roost;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        mariadb = MariaDbServer.start(dir);
        Postfixadmin.createOnMariaDb(mariadb);
        roost = TestServer.start(dir.resolve("roost"), environment(mariadb.url("postfix")));
    }

    private static Map<String, String> environment(String url) {
        var env = new HashMap<>(Postfixadmin.roostEnvironment(url));
        env.put("ROOST_AUTH_SQL_PASSWORDQUERY",
                "SELECT username AS user, password FROM mailbox WHERE username = BINARY '%u' AND active = '1'");
        env.put("ROOST_AUTH_SQL_TIMEOUT", "5s");
        env.put("ROOST_AUTH_CACHE_SIZE", "0");
        return env;
    }

    @AfterAll
    void stop() throws Exception {
        if (roost != null) {
            roost.close();
        }
        if (mariadb != null) {
            mariadb.close();
        }
    }

    @Test
    void postfixadminPasswordsLogIn() throws Exception {
        assertEquals("OK", Logins.angus(roost.imapPort(), "alice@example.org", "alice-secret"), () -> diagnosis(roost));
        assertEquals("OK OK", Logins.python("login", roost.imapPort(), "bob@example.org", "bob-secret"));
        assertTrue(Logins.raw(roost, "ALICE@example.org", "alice-secret").contains("AUTHENTICATIONFAILED"),
                "BINARY: another spelling is another user");
        assertTrue(Logins.raw(roost, "carol@example.org", "carol-secret").contains("AUTHENTICATIONFAILED"));
        var up = "\"name\":\"sql\",\"status\":\"UP\",\"detail\":\"MariaDB";
        var health = AdminClient.awaitHealth(roost, up);
        assertTrue(health.contains(up), health);
    }

    @Test
    void killedThenRestarted() throws Exception {
        mariadb.kill();
        assertEquals("NO [UNAVAILABLE] Temporary authentication failure.",
                Logins.raw(roost, "alice@example.org", "alice-secret"));
        mariadb.startAgain();
        assertEquals("OK", loginOnceItAnswers(roost), () -> diagnosis(roost));
    }

    /**
     * The database breaks the pool's very first connection while the pool checks it (HikariCP then learns no
     * default isolation level): later connections must still be made, and logins work.
     */
    @Test
    void connectionLostWhileThePoolChecksItsFirst(@TempDir Path dir) throws Exception {
        try (var cutter = FirstPingCutter.start(mariadb.port());
                var server = TestServer.start(dir, environment("jdbc:mariadb://127.0.0.1:" + cutter.port() + "/postfix"))) {
            var answer = loginOnceItAnswers(server);
            assertTrue(cutter.cut(), "the relay saw no ping to cut");
            assertEquals("OK", answer, () -> diagnosis(server));
        }
    }

    /** Bounded below the class's timeout, so a pool that never comes back fails with its diagnosis. */
    private static String loginOnceItAnswers(TestServer server) throws Exception {
        long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(100);
        String answer = Logins.angus(server.imapPort(), "alice@example.org", "alice-secret");
        while (!answer.equals("OK") && System.nanoTime() < giveUp) {
            Thread.sleep(250);
            answer = Logins.angus(server.imapPort(), "alice@example.org", "alice-secret");
        }
        return answer;
    }

    /**
     * What the server's health says of the database, MariaDB's own log, and where the threads that talk to it
     * are: why logins are unavailable.
     */
    private String diagnosis(TestServer server) {
        try {
            return AdminClient.call(server, "GET", "/health/ready").body() + "\n" + mariadb.errorLog() + "\n"
                    + ThreadDumps.mentioning("hikari", "mariadb", "roost-lookup", "roost-probe");
        } catch (Exception e) {
            return "no diagnosis: " + e;
        }
    }
}
