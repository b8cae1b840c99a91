package org.roost.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the admin HTTP server of a {@link TestServer} with its admin token. */
public final class AdminClient {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private AdminClient() {}

    public static HttpResponse<String> call(TestServer server, String method, String path)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.adminPort() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + TestServer.ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The {@code /health/ready} answer once it contains {@code fragment} (probes run in the background). */
    public static String awaitHealth(TestServer server, String fragment) throws IOException, InterruptedException {
        String body = "";
        for (int i = 0; i < 100 && !body.contains(fragment); i++) {
            if (i > 0) {
                Thread.sleep(100);
            }
            body = call(server, "GET", "/health/ready").body();
        }
        return body;
    }

    public static String metrics(TestServer server) throws IOException, InterruptedException {
        return call(server, "GET", "/metrics").body();
    }
}
