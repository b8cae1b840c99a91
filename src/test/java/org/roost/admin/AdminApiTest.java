package org.roost.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** The admin API beyond sessions: users, mailboxes, reindex, cache statistics, reloads. */
class AdminApiTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> call(TestServer server, String method, String path) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void userLookupNeverShowsTheHash(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir)) {
            var bob = call(server, "GET", "/admin/users/bob");
            assertEquals(200, bob.statusCode());
            assertTrue(bob.body().contains("\"passwordScheme\":\"SHA512-CRYPT\""), bob.body());
            assertFalse(bob.body().contains("$6$"), bob.body());
            var nobody = call(server, "GET", "/admin/users/nobody");
            assertEquals(404, nobody.statusCode());
            assertEquals("application/problem+json", nobody.headers().firstValue("Content-Type").orElse(""));
        }
    }

    @Test
    void mailboxesReindexAndCacheStatistics(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir); var imap = server.imap()) {
            imap.greeting();
            imap.command("a", "LOGIN alice \"wonder land\"");
            imap.command("b", "CREATE Work");
            var mailboxes = call(server, "GET", "/admin/users/alice/mailboxes");
            assertEquals(200, mailboxes.statusCode());
            assertTrue(mailboxes.body().contains("\"name\":\"INBOX\"") && mailboxes.body().contains("\"name\":\"Work\""),
                    mailboxes.body());
            var reindexed = call(server, "POST", "/admin/users/alice/reindex");
            assertEquals(200, reindexed.statusCode(), reindexed.body());
            assertTrue(reindexed.body().contains("INBOX") && reindexed.body().contains("Work"), reindexed.body());
            assertEquals(404, call(server, "POST", "/admin/users/alice/reindex?mailbox=Nope").statusCode());
            var cache = call(server, "GET", "/admin/index/cache");
            assertEquals(200, cache.statusCode());
            assertTrue(cache.body().contains("\"mailboxes\""), cache.body());
            var metrics = call(server, "GET", "/metrics").body();
            assertTrue(metrics.contains("roost_index_cache_misses_total"), "index cache meters are exported");
            assertTrue(metrics.contains("roost_mailbox_opens_total") && metrics.contains("roost_index_rebuilds_total"),
                    "mailbox opens and index rebuilds are exported");
            assertTrue(metrics.contains("roost_storage_errors_total 0.0"), "storage errors show 0 before the first");
        }
    }

    @Test
    void passwordReloadCountsUsers(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir)) {
            var reload = call(server, "POST", "/admin/reload/passwords");
            assertEquals(200, reload.statusCode());
            assertEquals("{\"users\":2}", reload.body());
            var tls = call(server, "POST", "/admin/reload/tls");
            assertEquals(200, tls.statusCode());
            assertEquals("{\"reloaded\":false}", tls.body(), "nothing changed on disk");
        }
    }
}
