package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.TestServer;

/**
 * Parsed structures kept in the database by body: a replica that never read a message answers its ENVELOPE and
 * BODYSTRUCTURE from what another replica parsed, without its body (here deleted from the bucket to prove it), and
 * a kept structure that does not decode is only a miss.
 */
@Timeout(300)
class PostgresStructuresTest {
    private static final String USER = "dave";
    private static final String MULTIPART = """
            From: Ann <ann@example.org>\r
            To: dave@example.org\r
            Subject: kept once\r
            MIME-Version: 1.0\r
            Content-Type: multipart/mixed; boundary="b"\r
            \r
            --b\r
            Content-Type: text/plain; charset=utf-8\r
            \r
            the text\r
            --b\r
            Content-Type: application/octet-stream\r
            Content-Transfer-Encoding: base64\r
            \r
            AAECAw==\r
            --b--\r
            """;
    private static final String FETCH = "UID FETCH 1 (ENVELOPE BODYSTRUCTURE PREVIEW)";
    @TempDir
    Path dir;

    @Test
    void aReplicaAnswersFromTheStructureAnotherParsedWithoutTheBody() throws Exception {
        var servers = MailDatabaseServers.shared();
        var environment = servers.environment();
        try (var one = replica("one", environment); var two = replica("two", environment);
                var c = database(environment); var a = one.login(USER); var b = two.login(USER)) {
            assertTrue(a.append("INBOX", MULTIPART).ok());
            assertTrue(a.append("INBOX", "Subject: second\r\n\r\nplain\r\n").ok());
            a.expectOk("SELECT INBOX");
            a.expectOk("UID FETCH 1 (ENVELOPE BODYSTRUCTURE)");
            assertEquals(1, detail(c, 1), "the whole structure, without a preview yet");
            var parsed = a.expectOk(FETCH).untagged();
            assertEquals(2, detail(c, 1), "the structure with its preview replaced the one without");

            var key = query(c, "SELECT body_key FROM messages WHERE uid = 1");
            Files.delete(servers.s3().directory().resolve(MailDatabaseServers.BUCKET).resolve(key));
            // before the other replica reads any: what it reads of message 2 along with message 1's does not decode
            c.createStatement().execute("INSERT INTO structures (body_key, detail, data) SELECT body_key, 2,"
                    + " '\\xffff'::bytea FROM messages WHERE uid = 2"
                    + " ON CONFLICT (body_key) DO UPDATE SET detail = 2, data = EXCLUDED.data");
            b.expectOk("SELECT INBOX");
            assertEquals(parsed, b.expectOk(FETCH).untagged());

            var second = b.expectOk("UID FETCH 2 (ENVELOPE BODYSTRUCTURE)").untagged().toString();
            assertTrue(second.contains("\"second\"") && second.contains("(\"text\" \"plain\""), second);
            assertFalse(bodyReadable(two), "the body is gone from the bucket");
        }
    }

    /** Whether FETCH BODY[] of UID 1 works (the server ends a session whose body read fails mid-answer). */
    private static boolean bodyReadable(TestServer server) {
        try (var client = server.login(USER)) {
            client.expectOk("SELECT INBOX");
            return client.run("UID FETCH 1 (BODY.PEEK[])").ok();
        } catch (IOException closed) {
            return false;
        }
    }

    private TestServer replica(String name, Map<String, String> environment) throws Exception {
        var home = Files.createDirectories(dir.resolve(name));
        Files.writeString(home.resolve("passwd"), USER + ":{PLAIN}" + TestServer.PASSWORD + "::::::\n");
        return TestServer.start(home, environment);
    }

    private static int detail(Connection c, long uid) throws SQLException {
        return Integer.parseInt(query(c, "SELECT s.detail FROM structures s JOIN messages m ON m.body_key = s.body_key"
                + " WHERE m.uid = " + uid));
    }

    private static String query(Connection c, String sql) throws SQLException {
        try (var rows = c.createStatement().executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            return rows.getString(1);
        }
    }

    private static Connection database(Map<String, String> environment) throws SQLException {
        return DriverManager.getConnection(environment.get("ROOST_MAIL_POSTGRES_URL"),
                environment.get("ROOST_MAIL_POSTGRES_USER"), environment.get("ROOST_MAIL_POSTGRES_PASSWORD"));
    }
}
