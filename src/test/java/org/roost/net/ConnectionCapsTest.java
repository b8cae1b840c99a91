package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * Total and per-IP connection caps: the client over the cap gets {@code * BYE} and a close, the
 * others are served. Loopback addresses 127.0.0.2/3 stand in for other client hosts.
 */
class ConnectionCapsTest {

    private static RawImapClient from(String localAddress, int port) throws IOException {
        return RawImapClient.connect(new InetSocketAddress("127.0.0.1", port), localAddress);
    }

    /**
     * Admission happens on each connection's own thread, so connections opened at the same moment
     * race for the last permit; a client is only known to hold one once it has been greeted.
     */
    private static RawImapClient servedFrom(String localAddress, int port) throws IOException {
        var client = from(localAddress, port);
        assertServed(client);
        return client;
    }

    private static void assertServed(RawImapClient c) throws IOException {
        assertTrue(c.greeting().startsWith("* OK [CAPABILITY "));
        assertEquals("a OK NOOP completed.", c.tagged("a", "NOOP"));
    }

    @Test
    void perIpCap(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", "2"));
                var first = servedFrom("127.0.0.1", server.imapPort());
                var second = servedFrom("127.0.0.1", server.imapPort());
                var third = from("127.0.0.1", server.imapPort());
                var elsewhere = from("127.0.0.2", server.imapPort())) {
            assertEquals("* BYE Too many connections from your address", third.readLine());
            third.assertClosedByServer();
            assertServed(elsewhere);
        }
    }

    @Test
    void perIpCapCountsImapsToo(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", "1"));
                var plain = server.imap()) {
            assertServed(plain);
            try (var tls = server.imaps()) {
                assertEquals("* BYE Too many connections from your address", tls.readLine());
                tls.assertClosedByServer();
            }
        }
    }

    @Test
    void totalCap(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONS", "2"));
                var first = servedFrom("127.0.0.1", server.imapPort());
                var second = servedFrom("127.0.0.2", server.imapPort());
                var third = from("127.0.0.3", server.imapPort())) {
            assertEquals("* BYE Too many connections to this server", third.readLine());
            third.assertClosedByServer();
            assertEquals("b OK NOOP completed.", first.tagged("b", "NOOP"), "the admitted stay served");
        }
    }

    /**
     * Stands for a console that is slow to write (a terminal, a loaded machine): each "session
     * closed" line of the IMAP session takes {@code delay}, or waits for {@link #resume()}.
     */
    private static final class SlowSessionLog extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(ProtocolSession.class.getName());
        private final Level savedLevel = logger.getLevel();
        private final Duration delay;
        private final CountDownLatch resumed = new CountDownLatch(1);

        private SlowSessionLog(Duration delay) {
            this.delay = delay;
            logger.setLevel(Level.INFO);
            logger.addHandler(this);
        }

        static SlowSessionLog taking(Duration delay) {
            return new SlowSessionLog(delay);
        }

        static SlowSessionLog untilResumed() {
            return new SlowSessionLog(null);
        }

        void resume() {
            resumed.countDown();
        }

        @Override
        public void publish(LogRecord record) {
            if (!record.getMessage().endsWith(" closed")) {
                return;
            }
            try {
                if (delay == null) {
                    resumed.await();
                } else {
                    Thread.sleep(delay);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {
            resume();
            logger.removeHandler(this);
            logger.setLevel(savedLevel);
        }
    }

    /**
     * Clients that log out and reconnect at once, as load tools and busy webmails do: each holds
     * one connection at a time, so a cap equal to their number never turns one away, although a
     * new connection may arrive before the server's thread of the old one has finished.
     */
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void reconnectStormUnderTheCapIsNeverRefused(boolean tls, @TempDir Path dir) throws Exception {
        int clients = tls ? 10 : 20;
        int rounds = tls ? 20 : 100;
        var refused = new AtomicInteger();
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", Integer.toString(clients)));
                var log = SlowSessionLog.taking(Duration.ofMillis(5))) {
            try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < clients; i++) {
                    pool.submit(() -> logOutAndReconnect(tls ? server::imaps : server::imap, rounds, refused));
                }
            }
            assertEquals(0, refused.get(), "reconnections refused");
        }
    }

    private interface Connector {
        RawImapClient connect() throws IOException;
    }

    private static Void logOutAndReconnect(Connector connector, int rounds, AtomicInteger refused) throws IOException {
        for (int round = 0; round < rounds; round++) {
            try (var client = connector.connect()) {
                if (client.greeting().startsWith("* BYE")) {
                    refused.incrementAndGet();
                    continue;
                }
                assertEquals("z OK LOGOUT completed.", client.tagged("z", "LOGOUT"));
            }
        }
        return null;
    }

    /** The slot is free once the client sees the close, even while the session's thread is still busy. */
    @Test
    void theSlotIsFreeOnceTheSocketIsClosed(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", "1",
                        "ROOST_LIMITS_RECONNECTGRACE", "0s"));
                var log = SlowSessionLog.untilResumed()) {
            try (var first = servedFrom("127.0.0.1", server.imapPort())) {
                assertEquals("z OK LOGOUT completed.", first.tagged("z", "LOGOUT"));
                first.assertClosedByServer(); // its thread now waits in the log
            }
            try (var second = server.imap()) {
                assertServed(second);
            }
        }
    }

    /**
     * A failed TLS handshake and an admin kick give the slot back too, once: afterwards the cap of
     * one admits one connection again, and only one.
     */
    @Test
    void everyWayOfClosingGivesTheSlotBackOnce(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", "1",
                "ROOST_LIMITS_RECONNECTGRACE", "0s"))) {
            try (var notTls = new Socket("127.0.0.1", server.imapsPort())) {
                notTls.setSoTimeout(RawImapClient.READ_TIMEOUT_MS);
                notTls.getOutputStream().write("a LOGIN plain text\r\n".getBytes(StandardCharsets.US_ASCII));
                notTls.getInputStream().readAllBytes(); // the handshake fails and the server closes
            }
            try (var kicked = servedFrom("127.0.0.1", server.imapPort())) {
                assertTrue(kicked.tagged("l", "LOGIN bob " + TestServer.BOB_PASSWORD).startsWith("l OK "));
                assertEquals(1, server.server().sessions().terminateUser(TestServer.BOB, "Kicked."));
                assertEquals("* BYE Kicked.", kicked.readLine());
                kicked.assertClosedByServer();
            }
            try (var admitted = servedFrom("127.0.0.1", server.imapPort()); var second = server.imap()) {
                assertEquals("* BYE Too many connections from your address", second.readLine());
            }
        }
    }

    /**
     * A failed implicit-TLS handshake is closed by the TLS layer itself; the slot is back before the
     * client sees the close, so a client that reconnects at once is served without any grace (before,
     * about a third of such reconnects were refused).
     */
    @Test
    void aFailedHandshakeGivesTheSlotBackBeforeTheClientSeesTheClose(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", "1",
                "ROOST_LIMITS_RECONNECTGRACE", "0s"))) {
            for (int i = 0; i < 50; i++) {
                try (var notTls = new Socket("127.0.0.1", server.imapsPort())) {
                    notTls.setSoTimeout(RawImapClient.READ_TIMEOUT_MS);
                    notTls.getOutputStream().write("a LOGIN plain text\r\n".getBytes(StandardCharsets.US_ASCII));
                    notTls.getInputStream().readAllBytes();
                }
                try (var client = from("127.0.0.1", server.imapPort())) {
                    assertTrue(client.greeting().startsWith("* OK "), "reconnect " + i);
                }
                awaitNoSessions(server);
            }
        }
    }

    /** The client closed its connection; the server's side closes once its session notices. */
    private static void awaitNoSessions(TestServer server) throws InterruptedException {
        while (server.server().sessions().size() > 0) {
            Thread.sleep(1);
        }
    }

    /** The cap still holds while the clients stay connected: one more is refused after the grace. */
    @Test
    void oneMoreThanTheCapIsRefused(@TempDir Path dir) throws Exception {
        int cap = 20;
        try (var server = TestServer.start(dir, Map.of("ROOST_LIMITS_MAXCONNECTIONSPERIP", Integer.toString(cap)))) {
            var open = new ArrayList<RawImapClient>();
            try {
                for (int i = 0; i < cap; i++) {
                    open.add(servedFrom("127.0.0.1", server.imapPort()));
                }
                try (var extra = server.imap()) {
                    assertEquals("* BYE Too many connections from your address", extra.readLine());
                    extra.assertClosedByServer();
                }
                assertEquals("z OK LOGOUT completed.", open.getFirst().tagged("z", "LOGOUT"));
                open.removeFirst().close();
                try (var again = server.imap()) {
                    assertServed(again);
                }
            } finally {
                for (var c : open) {
                    c.close();
                }
            }
        }
    }

    /** A connection over the cap waits for a slot of its address to come back within the grace. */
    @Test
    void aConnectionOverTheCapWaitsForASlotToComeBack() throws Exception {
        var limits = new ConnectionLimits(10, 1, Duration.ofSeconds(30));
        var a = InetAddress.getByName("192.0.2.1");
        var held = assertInstanceOf(ConnectionLimits.Admission.Granted.class, limits.admit(a)).permit();
        var waiting = new CompletableFuture<ConnectionLimits.Admission>();
        var waiter = Thread.ofVirtual().start(() -> waiting.complete(limits.admit(a)));
        awaitParkedOrDone(waiter);
        assertInstanceOf(ConnectionLimits.Admission.Refused.class, limits.admit(a),
                "no more waiters than the cap: refused at once");
        held.close();
        var admitted = assertInstanceOf(ConnectionLimits.Admission.Granted.class, waiting.get(30, TimeUnit.SECONDS));
        assertEquals(1, limits.connectionsFrom(a));
        admitted.permit().close();
        assertEquals(0, limits.connectionsFrom(a));
    }

    private static void awaitParkedOrDone(Thread thread) throws InterruptedException {
        while (thread.getState() != Thread.State.TIMED_WAITING && thread.isAlive()) {
            Thread.sleep(1);
        }
    }

    @Test
    void limitsReleaseTheirPermits() throws IOException {
        var limits = new ConnectionLimits(3, 2, Duration.ZERO);
        var a = InetAddress.getByName("192.0.2.1");
        var b = InetAddress.getByName("192.0.2.2");
        var one = assertInstanceOf(ConnectionLimits.Admission.Granted.class, limits.admit(a)).permit();
        var two = assertInstanceOf(ConnectionLimits.Admission.Granted.class, limits.admit(a)).permit();
        assertInstanceOf(ConnectionLimits.Admission.Refused.class, limits.admit(a));
        assertEquals(2, limits.connectionsFrom(a), "a refusal does not count");
        var three = assertInstanceOf(ConnectionLimits.Admission.Granted.class, limits.admit(b)).permit();
        assertInstanceOf(ConnectionLimits.Admission.Refused.class, limits.admit(b), "total of 3 reached");
        one.close();
        one.close();
        assertEquals(1, limits.connectionsFrom(a), "closing twice releases once");
        assertInstanceOf(ConnectionLimits.Admission.Granted.class, limits.admit(b));
        two.close();
        three.close();
        assertEquals(0, limits.connectionsFrom(a));
    }
}
