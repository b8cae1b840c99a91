package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.TrustAll;

/**
 * {@link Connection#clientGone()} and the {@link SessionCancellation} built on it, over plain TCP
 * and TLS: silence is "there", end of stream or a reset is "gone", and bytes a probe reads are
 * the next bytes the session reads. Timeouts only catch hangs.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ConnectionClientGoneTest {
    private static SSLContext serverTls;
    private Socket client;
    private Connection server;

    @BeforeAll
    static void certificate(@TempDir Path dir) throws IOException {
        var cert = dir.resolve("cert.pem");
        var key = dir.resolve("key.pem");
        TlsContexts.generateSelfSigned(cert, key, "localhost");
        serverTls = TlsContexts.fromPem(cert, key);
    }

    private void connect(boolean tls) throws Exception {
        try (var listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                var handshakes = Executors.newVirtualThreadPerTaskExecutor()) {
            var plain = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
            server = new Connection(listener.accept(), TrafficMeter.NONE);
            server.readTimeout(Duration.ofSeconds(20));
            client = plain;
            if (tls) {
                var ssl = (SSLSocket) TrustAll.context().getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
                var clientSide = handshakes.submit(() -> {
                    ssl.startHandshake();
                    return null;
                });
                server.startTls(serverTls);
                clientSide.get();
                client = ssl;
            }
        }
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
    }

    private void send(String text) throws IOException {
        OutputStream out = client.getOutputStream();
        out.write(text.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private byte[] read(int n) throws IOException {
        return server.input().readNBytes(n);
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aSilentClientIsThere(boolean tls) throws Exception {
        connect(tls);
        for (int i = 0; i < 20; i++) {
            assertFalse(server.clientGone());
        }
        var later = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(200);
                send("a NOOP\r\n");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // a read that waits for it: the probes' millisecond read timeout was put back
        assertArrayEquals("a NOOP\r\n".getBytes(StandardCharsets.US_ASCII), read(8));
        later.join();
    }

    /** Each byte arrives on its own (one TLS record each) while the server probes; none is lost or reordered. */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void bytesAProbeReadsStayForTheSession(boolean tls) throws Exception {
        connect(tls);
        var sent = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            var text = Character.toString('a' + i % 26);
            send(text);
            sent.writeBytes(text.getBytes(StandardCharsets.US_ASCII));
            for (int probe = 0; probe < 3; probe++) {
                assertFalse(server.clientGone());
            }
        }
        assertArrayEquals(sent.toByteArray(), read(sent.size()));
    }

    /** What an idle connection costs: between commands, after probes and a response, it holds no buffer. */
    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void anIdleConnectionHoldsNoBuffer(boolean tls) throws Exception {
        connect(tls);
        assertFalse(server.holdsBuffers(), "before the first command");
        send("a IDLE\r\n");
        assertFalse(server.clientGone());
        assertArrayEquals("a IDLE".getBytes(StandardCharsets.US_ASCII), read(6));
        assertTrue(server.holdsBuffers(), "the rest of the line is buffered");
        assertArrayEquals("\r\n".getBytes(StandardCharsets.US_ASCII), read(2));
        server.output().write("+ idling\r\n".getBytes(StandardCharsets.US_ASCII));
        assertTrue(server.holdsBuffers(), "a response is gathered until its flush");
        server.output().flush();
        assertFalse(server.holdsBuffers(), "the command read and answered");
        assertFalse(server.clientGone());
        assertFalse(server.holdsBuffers(), "a probe that found nothing keeps nothing");
        send("DONE\r\n");
        assertFalse(server.clientGone());
        assertArrayEquals("DONE\r\n".getBytes(StandardCharsets.US_ASCII), read(6));
        assertFalse(server.holdsBuffers(), "a probe that read a byte lets the buffer go once it is read");
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aClosedClientIsGoneOnceItsBytesAreRead(boolean tls) throws Exception {
        connect(tls);
        send("b LOGOUT\r\n");
        client.close();
        assertFalse(server.clientGone(), "pipelined bytes are still to be answered");
        assertArrayEquals("b LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII), read(10));
        while (!server.clientGone()) {
            Thread.onSpinWait(); // the end of stream arrives in a moment
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aResetClientIsGone(boolean tls) throws Exception {
        connect(tls);
        client.setSoLinger(true, 0);
        client.close();
        while (!server.clientGone()) {
            Thread.onSpinWait();
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void aSessionsCommandStopsWhenToldToEndOrWhenItsClientLeaves(boolean tls) throws Exception {
        connect(tls);
        boolean[] told = {false};
        var cancellation = new SessionCancellation(server, () -> told[0]);
        cancellation.commandStarted();
        for (int i = 0; i < 1_000; i++) {
            cancellation.check();
        }
        told[0] = true;
        assertFalse(assertThrows(Cancellation.Cancelled.class, cancellation::check).clientGone());

        told[0] = false;
        cancellation.commandStarted();
        client.close();
        var stopped = assertThrows(Cancellation.Cancelled.class, () -> {
            while (true) {
                cancellation.check(); // looks at the socket once a command has run for a while
            }
        });
        assertTrue(stopped.clientGone());
    }
}
