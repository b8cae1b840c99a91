package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** start(): the admin server answers first, and says "not ready" until the mail listeners are open. */
class StartupTest {

    @Test
    void notReadyUntilTheMailListenersAreOpen(@TempDir Path dir) throws Exception {
        var server = new RoostServer(TestServer.config(dir, Map.of()));
        var whileStarting = new AtomicReference<HttpResponse<String>>();
        try (var http = HttpClient.newHttpClient()) {
            server.start(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                    () -> whileStarting.set(ready(http, server.adminPort())));
            try {
                assertEquals(503, whileStarting.get().statusCode(), whileStarting.get().body());
                assertTrue(whileStarting.get().body().contains("{\"name\":\"server\",\"status\":\"DOWN\"}"),
                        whileStarting.get().body());
                assertEquals(200, ready(http, server.adminPort()).statusCode());
            } finally {
                server.shutdown();
            }
        }
    }

    private static HttpResponse<String> ready(HttpClient http, int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
