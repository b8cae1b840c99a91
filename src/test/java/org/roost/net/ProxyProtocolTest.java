package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.AdminClient;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** HAProxy PROXY protocol v1/v2 (haproxy.org proxy-protocol.txt) in front of the mail listeners. */
class ProxyProtocolTest {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    private static Optional<InetSocketAddress> read(byte[] bytes) throws IOException {
        return ProxyProtocol.read(new ByteArrayInputStream(bytes));
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void v1Tcp4AndTcp6GiveTheSourceAddress() throws IOException {
        assertEquals(new InetSocketAddress("203.0.113.7", 5555),
                read(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 5555 143\r\n")).orElseThrow());
        assertEquals(new InetSocketAddress("2001:db8::7", 40000),
                read(ascii("PROXY TCP6 2001:db8::7 2001:db8::1 40000 993\r\n")).orElseThrow());
        assertTrue(read(ascii("PROXY UNKNOWN\r\n")).isEmpty());
    }

    @Test
    void v1ReadsNoByteBeyondTheHeader() throws IOException {
        InputStream in = new ByteArrayInputStream(ascii("PROXY TCP4 203.0.113.7 192.0.2.1 5555 143\r\na LOGIN"));
        ProxyProtocol.read(in);
        assertEquals("a LOGIN", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void v2ProxyAndLocal() throws IOException {
        var proxy = new byte[V2_SIGNATURE.length + 4 + 12];
        System.arraycopy(V2_SIGNATURE, 0, proxy, 0, V2_SIGNATURE.length);
        int i = V2_SIGNATURE.length;
        proxy[i++] = 0x21; // version 2, PROXY
        proxy[i++] = 0x11; // AF_INET, STREAM
        proxy[i++] = 0;
        proxy[i++] = 12;
        byte[] body = {(byte) 198, 51, 100, 9, (byte) 192, 0, 2, 1, 0x1F, (byte) 0x90, 0, (byte) 143};
        System.arraycopy(body, 0, proxy, i, body.length);
        assertEquals(new InetSocketAddress("198.51.100.9", 8080), read(proxy).orElseThrow());

        var local = new byte[V2_SIGNATURE.length + 4];
        System.arraycopy(V2_SIGNATURE, 0, local, 0, V2_SIGNATURE.length);
        local[V2_SIGNATURE.length] = 0x20; // version 2, LOCAL
        assertTrue(read(local).isEmpty());
    }

    @Test
    void malformedHeadersAreRefused() {
        assertThrows(IOException.class, () -> read(ascii("a LOGIN alice pw\r\n")));
        assertThrows(IOException.class, () -> read(ascii("PROXY TCP4 999.1.1.1 192.0.2.1 1 2\r\n")));
        assertThrows(IOException.class, () -> read(ascii("PROXY TCP4 " + "1".repeat(200) + "\r\n")));
        assertThrows(IOException.class, () -> read(ascii("PROXY TCP4 203.0.113.7")));
        assertThrows(IOException.class, () -> read(new byte[] {0x0D, 0x0A, 0x0D, 0x0A, 0, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0B}));
    }

    @Test
    void sessionsSeeTheAddressFromTheTrustedBalancer(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_IMAP_PROXYPROTOCOL", "true",
                "ROOST_PROXY_TRUSTEDNETWORKS", "127.0.0.0/8"));
                var client = server.imap()) {
            client.write("PROXY TCP4 203.0.113.7 127.0.0.1 5555 143\r\na LOGIN alice \"wonder land\"\r\n");
            assertTrue(client.greeting().startsWith("* OK"));
            // 203.0.113.7 is not in secureNetworks: plaintext LOGIN is refused for the real client address
            assertTrue(client.readLine().startsWith("a NO [PRIVACYREQUIRED]"));
            var sessions = AdminClient.call(server, "GET", "/admin/sessions");
            assertTrue(sessions.body().contains("\"remoteAddress\":\"203.0.113.7\""), sessions.body());
        }
    }

    /** Behind a balancer the per-IP cap counts the clients it reports, not the balancer. */
    @Test
    void perIpCapCountsTheAddressesTheBalancerReports(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_IMAP_PROXYPROTOCOL", "true",
                "ROOST_PROXY_TRUSTEDNETWORKS", "127.0.0.0/8", "ROOST_LIMITS_MAXCONNECTIONSPERIP", "1",
                "ROOST_LIMITS_RECONNECTGRACE", "0s"));
                var first = proxied(server, "203.0.113.7");
                var other = proxied(server, "203.0.113.8")) {
            assertTrue(first.greeting().startsWith("* OK"));
            assertTrue(other.greeting().startsWith("* OK"));
            try (var again = proxied(server, "203.0.113.7")) {
                assertEquals("* BYE Too many connections from your address", again.greeting());
            }
        }
    }

    private static RawImapClient proxied(TestServer server, String client) throws IOException {
        return server.imap().write("PROXY TCP4 " + client + " 127.0.0.1 5555 143\r\n");
    }

    @Test
    void untrustedPeersOfAProxiedListenerAreDropped(@TempDir Path dir) throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_IMAP_PROXYPROTOCOL", "true",
                "ROOST_PROXY_TRUSTEDNETWORKS", "10.0.0.0/8"));
                var client = proxied(server, "203.0.113.7")) {
            client.assertClosedByServer();
        }
    }
}
