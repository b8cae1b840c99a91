package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.roost.testing.RawImapClient;

/** The accept loop on its own, with a trivial line protocol: failures on one connection cost nothing to the next. */
class ListenerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The failures below are provoked on purpose; their ERROR lines would only be noise. */
    private static final java.util.logging.Logger LISTENER_LOG = java.util.logging.Logger.getLogger(Listener.class.getName());
    private static java.util.logging.Level savedLevel;

    @org.junit.jupiter.api.BeforeAll
    static void quiet() {
        savedLevel = LISTENER_LOG.getLevel();
        LISTENER_LOG.setLevel(java.util.logging.Level.OFF);
    }

    @org.junit.jupiter.api.AfterAll
    static void restore() {
        LISTENER_LOG.setLevel(savedLevel);
    }

    /** Greets with "* OK hello" and closes; or fails with a RuntimeException when told to. */
    private static final class HelloHandler implements ConnectionHandler {
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public void serve(Connection connection) {
            if (failuresLeft.getAndDecrement() > 0) {
                throw new IllegalStateException("handler bug (test)");
            }
            try {
                connection.output().write("* OK hello\r\n".getBytes(StandardCharsets.US_ASCII));
                connection.output().flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void refuse(Connection connection, String reason) {
            try {
                connection.output().write(("* BYE " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII));
            } catch (IOException ignored) {
                // test handler
            }
        }
    }

    private static Listener listener(ConnectionHandler handler, ConnectionLimits limits, java.util.function.Supplier<SSLContext> tls)
            throws IOException {
        var listener = new Listener("test", new InetSocketAddress(LOOPBACK, 0), tls, handler, limits, TrafficMeter.NONE,
                Duration.ofSeconds(20));
        listener.start();
        return listener;
    }

    /** The socket closes before the permit is returned; wait (bounded) for the permit, which must come. */
    private static void awaitReleased(ConnectionLimits limits) {
        for (int i = 0; i < 2_000 && limits.connectionsFrom(LOOPBACK) > 0; i++) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        assertEquals(0, limits.connectionsFrom(LOOPBACK), "permit never released");
    }

    @Test
    void aFailingHandlerReleasesItsPermitAndTheListenerGoesOn() throws IOException {
        var handler = new HelloHandler();
        handler.failuresLeft.set(1);
        var limits = new ConnectionLimits(10, 1, Duration.ZERO);
        try (var listener = listener(handler, limits, null)) {
            try (var c = RawImapClient.connect(LOOPBACK.getHostAddress(), listener.port())) {
                c.assertClosedByServer();
            }
            awaitReleased(limits);
            try (var c = RawImapClient.connect(LOOPBACK.getHostAddress(), listener.port())) {
                assertEquals("* OK hello", c.readLine());
                c.assertClosedByServer();
            }
            assertTrue(listener.isAccepting());
        }
    }

    /** A TLS context that cannot be had (e.g. unreadable key) must not leak the connection's permit. */
    @Test
    void aTlsSetupFailureReleasesThePermit() throws IOException {
        var calls = new AtomicInteger();
        java.util.function.Supplier<SSLContext> broken = () -> {
            calls.incrementAndGet();
            throw new IllegalStateException("no TLS context (test)");
        };
        var limits = new ConnectionLimits(10, 1, Duration.ZERO);
        try (var listener = listener(new HelloHandler(), limits, broken)) {
            for (int i = 0; i < 3; i++) {
                try (var c = RawImapClient.connect(LOOPBACK.getHostAddress(), listener.port())) {
                    c.assertClosedByServer();
                }
            }
            assertEquals(3, calls.get(), "every connection got as far as TLS: none was refused for a leaked permit");
            assertEquals(0, limits.connectionsFrom(LOOPBACK));
        }
    }

    @Test
    void closeStopsAccepting() throws IOException {
        var listener = listener(new HelloHandler(), new ConnectionLimits(10, 10, Duration.ZERO), null);
        assertTrue(listener.isBound());
        listener.close();
        assertFalse(listener.isBound());
    }
}
