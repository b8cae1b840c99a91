package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/** IPv6 loopback and the dual-stack wildcards ({@code ::} and {@code *}). */
class ListenerAddressTest {

    private static void servedAt(String host, int port) throws IOException {
        try (var c = RawImapClient.connect(host, port)) {
            assertTrue(c.greeting().startsWith("* OK [CAPABILITY "), host);
            assertEquals("a OK NOOP completed.", c.tagged("a", "NOOP"));
        }
    }

    @Test
    void ipv6LoopbackOnly(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of(
                "ROOST_LISTENERS_IMAP_ADDRESS", "::1", "ROOST_LISTENERS_IMAPS_ADDRESS", "::1"))) {
            servedAt("::1", server.imapPort());
            try (var c = RawImapClient.connectTls("::1", server.imapsPort())) {
                assertTrue(c.greeting().startsWith("* OK "));
            }
            assertThrows(ConnectException.class, () -> RawImapClient.connect("127.0.0.1", server.imapPort()),
                    "bound to ::1 only");
        }
    }

    @Test
    void loginFromIpv6LoopbackIsOnTheDefaultSecureNetwork(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_IMAP_ADDRESS", "::1"));
                var c = RawImapClient.connect("::1", server.imapPort())) {
            assertTrue(c.greeting().contains("AUTH=PLAIN"), "::1/128 is in the default auth.secureNetworks");
            assertTrue(c.tagged("a", "LOGIN bob " + TestServer.BOB_PASSWORD).startsWith("a OK "));
            var session = server.server().sessions().list().getFirst();
            assertEquals("0:0:0:0:0:0:0:1", session.remote().getAddress().getHostAddress());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "*"})
    void wildcardIsDualStack(String address, @TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_IMAP_ADDRESS", address))) {
            servedAt("127.0.0.1", server.imapPort());
            servedAt("::1", server.imapPort());
        }
    }

    @Test
    void bindAddressResolvesWildcardsAndLiterals() throws IOException {
        assertTrue(Listener.bindAddress("*", 1).getAddress().isAnyLocalAddress());
        assertTrue(Listener.bindAddress("::", 1).getAddress().isAnyLocalAddress());
        assertEquals(new InetSocketAddress("::1", 2), Listener.bindAddress("::1", 2));
        assertEquals(new InetSocketAddress("127.0.0.1", 3), Listener.bindAddress("127.0.0.1", 3));
    }
}
