package org.roost.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * Builds the container image from the project's Dockerfile with the freshly packaged server
 * (target/roost.jar, target/lib/) and checks it the way an operator would use it: IMAPS and POP3S
 * logins, /metrics, /health/ready, the admin token, and a graceful stop on SIGTERM.
 *
 * <p>Runs under failsafe (after {@code package}). The base image comes from
 * {@code docker/make-base.sh} ({@code roost-base:local}; another one with {@code -Droost.container.base=}).
 * Without Docker the class is skipped; without the base image it is skipped too, except under
 * {@code CI=true}, where a missing base is a setup failure.
 */
@Testcontainers(disabledWithoutDocker = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageIT {
    private static final String BASE = System.getProperty("roost.container.base", "roost-base:local");
    private static final String IMAGE = "roost:it";
    private static final String USER = "alice";
    private static final String PASSWORD = "wonderland-" + Long.toHexString(new SecureRandom().nextLong());
    private static final String ADMIN_TOKEN = Long.toHexString(new SecureRandom().nextLong());
    private static final Duration DRAIN = Duration.ofSeconds(5);
    private static final int IMAPS = 993;
    private static final int POP3S = 995;
    private static final int ADMIN = 8080;

    private static GenericContainer<?> roost;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void startContainer() {
        boolean baseImagePresent = imageExists(BASE);
        if (!baseImagePresent && "true".equals(System.getenv("CI"))) {
            throw new IllegalStateException("base image " + BASE + " is missing; run docker/ci-setup.sh first");
        }
        assumeTrue(baseImagePresent, "base image " + BASE + " not built (docker/make-base.sh); skipping");

        roost = new GenericContainer<>(image())
                .withExposedPorts(IMAPS, POP3S, ADMIN)
                // The image's own roost.yaml, with the overrides an operator would pass.
                .withCopyToContainer(Transferable.of(USER + ":{PLAIN}" + PASSWORD + "::::::\n", 0644),
                        "/etc/roost/passwd")
                .withEnv("ROOST_AUTH_PASSWDFILE", "/etc/roost/passwd")
                .withEnv("ROOST_ADMIN_TOKEN", ADMIN_TOKEN)
                .withEnv("ROOST_LIMITS_SHUTDOWNDRAIN", DRAIN.toSeconds() + "s")
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig().withPortBindings(loopbackOnly(IMAPS, POP3S, ADMIN)))
                // The server's log in the test output, so a failed start explains itself.
                .withLogConsumer(frame -> System.out.print("[container] " + frame.getUtf8String()))
                .waitingFor(Wait.forHttp("/health/ready").forPort(ADMIN).forStatusCode(200)
                        .withStartupTimeout(Duration.ofMinutes(5)));
        roost.start();
    }

    @AfterAll
    static void stopContainer() {
        if (roost != null) {
            roost.stop();
        }
    }

    /** The image as `docker build --build-arg BASE=... .` would make it, from the packaged server only. */
    private static ImageFromDockerfile image() {
        var root = Path.of("").toAbsolutePath();
        var jar = root.resolve("target/roost.jar");
        assertTrue(Files.isRegularFile(jar), "target/roost.jar missing: this test runs after `package`");
        // deleteOnExit=false keeps the tag, so the next run reuses the cached layers.
        return new ImageFromDockerfile(IMAGE, false)
                .withBuildArg("BASE", BASE)
                .withFileFromPath("Dockerfile", root.resolve("Dockerfile"))
                .withFileFromPath("bin/roost", root.resolve("bin/roost"))
                .withFileFromPath("target/roost.jar", jar)
                .withFileFromPath("target/lib", root.resolve("target/lib"))
                .withFileFromPath("docker/roost.yaml", root.resolve("docker/roost.yaml"))
                .withFileFromPath("docker/healthcheck.sh", root.resolve("docker/healthcheck.sh"));
    }

    private static boolean imageExists(String name) {
        try {
            DockerClientFactory.instance().client().inspectImageCmd(name).exec();
            return true;
        } catch (com.github.dockerjava.api.exception.NotFoundException e) {
            return false;
        }
    }

    /** Published ports listen on 127.0.0.1 only, on a free host port each. */
    private static List<PortBinding> loopbackOnly(int... containerPorts) {
        var bindings = new ArrayList<PortBinding>();
        for (int port : containerPorts) {
            bindings.add(new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(port)));
        }
        return bindings;
    }

    @Test
    @Order(1)
    void imapsLoginWithPasswdFileUser() throws Exception {
        try (var imap = TlsLineClient.connect(roost.getHost(), roost.getMappedPort(IMAPS))) {
            assertTrue(imap.greeting().startsWith("* OK"), imap.greeting());
            assertTrue(imap.command("a1 LOGIN " + USER + " " + PASSWORD).startsWith("a1 OK"));
            assertTrue(imap.command("a2 LOGOUT").startsWith("a2 OK"));
        }
    }

    @Test
    @Order(1)
    void imapsRejectsAWrongPassword() throws Exception {
        try (var imap = TlsLineClient.connect(roost.getHost(), roost.getMappedPort(IMAPS))) {
            assertTrue(imap.command("a1 LOGIN " + USER + " not-" + PASSWORD).startsWith("a1 NO"));
        }
    }

    @Test
    @Order(1)
    void pop3sLoginWithPasswdFileUser() throws Exception {
        try (var pop3 = TlsLineClient.connect(roost.getHost(), roost.getMappedPort(POP3S))) {
            assertTrue(pop3.greeting().startsWith("+OK"), pop3.greeting());
            assertTrue(pop3.send("USER " + USER).startsWith("+OK"));
            assertTrue(pop3.send("PASS " + PASSWORD).startsWith("+OK"));
            assertTrue(pop3.send("QUIT").startsWith("+OK"));
        }
    }

    @Test
    @Order(2)
    void metricsExposeRoostCounters() throws Exception {
        var response = get("/metrics", null);
        assertEquals(200, response.statusCode());
        assertTrue(response.body().lines().anyMatch(l -> l.startsWith("roost_")), "no roost_* metric in /metrics");
    }

    @Test
    @Order(2)
    void readyAndLive() throws Exception {
        assertEquals(200, get("/health/ready", null).statusCode());
        assertEquals(200, get("/health/live", null).statusCode());
    }

    @Test
    @Order(2)
    void adminApiNeedsTheConfiguredToken() throws Exception {
        assertEquals(401, get("/admin/sessions", null).statusCode());
        assertEquals(401, get("/admin/sessions", "wrong").statusCode());
        assertEquals(200, get("/admin/sessions", ADMIN_TOKEN).statusCode());
    }

    @Test
    @Order(2)
    void dockerHealthcheckPasses() throws Exception {
        var result = roost.execInContainer("/opt/roost/bin/healthcheck");
        assertEquals(0, result.getExitCode(), result.getStderr());
    }

    /** Last: stops the container. SIGTERM must say BYE to open sessions and exit 0 within the drain time. */
    @Test
    @Order(3)
    void sigtermDrainsSessionsAndExitsZero() throws Exception {
        DockerClient docker = roost.getDockerClient();
        String id = roost.getContainerId();
        try (var imap = TlsLineClient.connect(roost.getHost(), roost.getMappedPort(IMAPS))) {
            assertTrue(imap.command("a1 LOGIN " + USER + " " + PASSWORD).startsWith("a1 OK"));

            docker.killContainerCmd(id).withSignal("SIGTERM").exec();

            assertTrue(imap.readLine().startsWith("* BYE"), "an open session is told BYE on shutdown");
            // Generous margin over the drain time: JVM exit and container teardown on a busy host.
            int exitCode = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(DRAIN.toSeconds() + 60, TimeUnit.SECONDS);
            assertEquals(0, exitCode, "exit code after SIGTERM");
        }
        assertFalse(docker.inspectContainerCmd(id).exec().getState().getRunning());
    }

    private static HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        var uri = URI.create("http://" + roost.getHost() + ":" + roost.getMappedPort(ADMIN) + path);
        var request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A line-at-a-time IMAP/POP3 client over TLS; the container's certificate is self-signed, so any is trusted. */
    private static final class TlsLineClient implements AutoCloseable {
        private final SSLSocket socket;
        private final BufferedReader in;
        private final OutputStream out;
        private final String greeting;

        private TlsLineClient(SSLSocket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout((int) Duration.ofSeconds(30).toMillis());
            this.in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            this.out = socket.getOutputStream();
            this.greeting = readLine();
        }

        static TlsLineClient connect(String host, int port) throws Exception {
            var tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {new TrustingManager()}, new SecureRandom());
            var socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
            socket.startHandshake();
            return new TlsLineClient(socket);
        }

        String greeting() {
            return greeting;
        }

        /** Sends one line and returns the next line the server sends (POP3's single-line replies). */
        String send(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return readLine();
        }

        /** Sends one tagged IMAP command and returns its tagged response line, skipping untagged ones. */
        String command(String line) throws IOException {
            var tag = line.substring(0, line.indexOf(' ') + 1);
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response;
            do {
                response = readLine();
            } while (!response.startsWith(tag));
            return response;
        }

        String readLine() throws IOException {
            var line = in.readLine();
            if (line == null) {
                throw new IOException("connection closed by the server");
            }
            return line;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static final class TrustingManager implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
