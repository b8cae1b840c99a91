package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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

    @Test
    void limitsReleaseTheirPermits() throws IOException {
        var limits = new ConnectionLimits(3, 2);
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
