package org.roost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * The admin API's {@code doveadm acl}: entries, rights of the owner and of another user, changes that an open IMAP
 * session sees at its next command, and what a hostile or careless request gets.
 */
@Timeout(60)
class AdminAclTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Path global;

    @BeforeAll
    static void start() throws IOException {
        global = Files.writeString(dir.resolve("global-acl"), "Common* group=staff lr\n");
        Files.writeString(dir.resolve("passwd"), "alice:{PLAIN}wonder land::::::\n"
                + "bob:{PLAIN}builder::::::userdb_acl_groups=staff\n");
        server = TestServer.start(dir, Map.of("ROOST_ACL_GLOBALFILE", global.toString()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static HttpResponse<String> call(String method, String path, String body) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String acl(String user, String mailbox) {
        return "/admin/users/" + user + "/acl?mailbox=" + URLEncoder.encode(mailbox, StandardCharsets.UTF_8);
    }

    private static JsonNode ok(HttpResponse<String> response) throws IOException {
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    private static String problem(HttpResponse<String> response, int status) throws IOException {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body()).get("detail").asText();
    }

    @Test
    void setGetRightsAndDeleteLikeDoveadm() throws Exception {
        try (var imap = server.connect()) {
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Projects");
            assertEquals(0, ok(call("GET", acl("alice", "Projects"), null)).get("entries").size());
            var set = ok(call("PUT", acl("alice", "Projects"), "{\"id\": \"user=bob\", \"rights\": \"lrsc\"}"));
            assertEquals("{\"id\":\"user=bob\",\"global\":false,\"rights\":\"lrskx\",\"names\":[\"lookup\",\"read\","
                    + "\"write-seen\",\"create\",\"delete\"]}", set.get("entries").get(0).toString(),
                    "c stands for k and x (RFC 4314 §2.1.1)");
            ok(call("PUT", acl("alice", "Projects"), "{\"id\": \"user=bob\", \"rights\": \"-x\"}"));
            try (var bob = server.connect()) { // the record of who shares with whom changed as by SETACL
                bob.expectOk("LOGIN bob builder");
                assertTrue(bob.command("l", "LIST \"\" Shared.alice.*").contains(
                        "* LIST (\\HasNoChildren) \".\" Shared.alice.Projects"));
            }
            ok(call("PUT", acl("alice", "Projects"), "{\"id\": \"-group=staff\", \"rights\": \"s\"}"));
            assertEquals("-group=staff s\nuser=bob klrs\n",
                    Files.readString(server.maildir("alice").resolve(".Projects/dovecot-acl")), "as Dovecot writes it");
            var bob = ok(call("GET", "/admin/users/alice/acl/rights?mailbox=Projects&as=bob", null));
            assertEquals("lrk", bob.get("rights").asText(), "the group's negative s is taken last");
            assertEquals("bob", bob.get("requester").asText());
            assertEquals("lrwstipekxa", ok(call("GET", "/admin/users/alice/acl/rights?mailbox=Projects", null))
                    .get("rights").asText(), "the owner has every right no entry of theirs takes away");
            var deleted = ok(call("DELETE", acl("alice", "Projects") + "&id=user%3Dbob", null));
            assertEquals("[{\"id\":\"-group=staff\",\"global\":false,\"rights\":\"s\",\"names\":[\"write-seen\"]}]",
                    deleted.get("entries").toString());
            assertEquals("", ok(call("GET", "/admin/users/alice/acl/rights?mailbox=Projects&as=bob", null))
                    .get("rights").asText());
        }
    }

    @Test
    void globalEntriesAreListedAndCannotBeChanged() throws Exception {
        try (var imap = server.connect()) {
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Common");
        }
        var entries = ok(call("GET", acl("alice", "Common"), null)).get("entries");
        assertEquals("[{\"id\":\"group=staff\",\"global\":true,\"rights\":\"lr\",\"names\":[\"lookup\",\"read\"]}]",
                entries.toString());
        assertEquals("Global ACLs can't be modified.",
                problem(call("PUT", acl("alice", "Common"), "{\"id\": \"#group=staff\", \"rights\": \"\"}"), 400));
        assertEquals("lr", ok(call("GET", "/admin/users/alice/acl/rights?mailbox=Common&as=bob", null))
                .get("rights").asText());
    }

    /** RFC 4314 §4 as Access reads it: rights are looked up at each command, so a change counts at the next one. */
    @Test
    void aChangeCountsAtTheNextCommandOfAnOpenSession() throws Exception {
        try (var imap = server.connect()) {
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Live");
            assertTrue(imap.command("m", "MYRIGHTS Live").contains("* MYRIGHTS Live lrwstipekxacd"));
            ok(call("PUT", acl("alice", "Live"), "{\"id\": \"owner\", \"rights\": \"lr\"}"));
            assertEquals("* MYRIGHTS Live lr", imap.command("m", "MYRIGHTS Live").getFirst());
            assertTrue(imap.command("s", "SELECT Live").getLast().startsWith("s OK [READ-ONLY]"));
            ok(call("DELETE", acl("alice", "Live") + "&id=owner", null));
            assertTrue(imap.command("s", "SELECT Live").getLast().startsWith("s OK [READ-WRITE]"));
        }
    }

    @Test
    void hostileRequestsChangeNothing() throws Exception {
        try (var imap = server.connect()) {
            imap.expectOk("LOGIN alice \"wonder land\"");
            imap.expectOk("CREATE Guarded");
            imap.send("x SETACL Guarded {12}");
            imap.readLine();
            imap.write("bob\nanyone l lr\r\n");
            assertEquals("x BAD Control characters are not allowed in identifiers", imap.readLine(),
                    "a line end in a client's identifier would write an entry for anyone into the file");
        }
        var path = acl("alice", "Guarded");
        assertEquals("The q right is not supported.",
                problem(call("PUT", path, "{\"id\": \"user=bob\", \"rights\": \"lq\"}"), 400));
        assertEquals("Uppercase rights are not allowed.",
                problem(call("PUT", path, "{\"id\": \"user=bob\", \"rights\": \"L\"}"), 400));
        assertTrue(problem(call("PUT", path, "{\"id\": \"bob\", \"rights\": \"l\"}"), 400)
                .startsWith("Unknown identifier; write user=NAME"));
        assertEquals("Control characters are not allowed in identifiers.",
                problem(call("PUT", path, "{\"id\": \"user=bob\\nowner\", \"rights\": \"l\"}"), 400));
        assertTrue(problem(call("PUT", path, "{\"id\": \"user=" + "b".repeat(300) + "\", \"rights\": \"l\"}"), 400)
                .contains("longer than 255"));
        assertEquals("The body is not JSON.", problem(call("PUT", path, "user=bob lr"), 400));
        assertEquals("rights must be a string.", problem(call("PUT", path, "{\"id\": \"user=bob\"}"), 400));
        assertEquals("Unknown field; known fields: id, rights.",
                problem(call("PUT", path, "{\"id\": \"user=bob\", \"rights\": \"l\", \"x\": 1}"), 400));
        var huge = "{\"id\": \"user=bob\", \"rights\": \"" + "l".repeat(10 << 20) + "\"}";
        assertEquals(413, call("PUT", path, huge).statusCode());
        assertTrue(problem(call("GET", acl("alice", "../bob"), null), 400).startsWith("invalid mailbox name"));
        assertTrue(problem(call("GET", acl("alice", "Guarded/../../bob"), null), 400)
                .startsWith("invalid mailbox name"));
        assertEquals("The user has no such mailbox.", problem(call("GET", acl("alice", "Nowhere"), null), 404));
        assertEquals("The password database has no user carol.",
                problem(call("GET", acl("carol", "INBOX"), null), 404));
        assertEquals("The password database has no user carol.",
                problem(call("GET", "/admin/users/alice/acl/rights?mailbox=INBOX&as=carol", null), 404));
        assertEquals("Give ?mailbox=NAME.", problem(call("GET", "/admin/users/alice/acl", null), 400));
        assertEquals("Give ?id=IDENTIFIER (e.g. user=bob, -group=staff).", problem(call("DELETE", path, null), 400));
        assertFalse(Files.exists(server.maildir("alice").resolve(".Guarded/dovecot-acl")), "nothing was written");
        assertEquals(401, HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .build(), HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void withoutAclsTheServerSaysSo(@TempDir Path other) throws Exception {
        try (var off = TestServer.start(other, Map.of("ROOST_ACL_ENABLED", "false"))) {
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + off.adminPort()
                    + "/admin/users/alice/acl?mailbox=INBOX")).header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                    .build();
            var response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(409, response.statusCode(), response.body());
        }
    }
}
