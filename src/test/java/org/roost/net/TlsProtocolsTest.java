package org.roost.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;
import org.roost.testing.TrustAll;

/** Only TLS 1.2 and 1.3 are offered, on IMAPS and after STARTTLS; the generated pair is usable. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsProtocolsTest {
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir);
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private SSLSocket handshake(String protocol) throws IOException {
        var plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", server.imapsPort()), RawImapClient.READ_TIMEOUT_MS);
        plain.setSoTimeout(RawImapClient.READ_TIMEOUT_MS);
        var ssl = (SSLSocket) TrustAll.context().getSocketFactory().createSocket(plain, "127.0.0.1", server.imapsPort(), true);
        ssl.setEnabledProtocols(new String[] {protocol});
        ssl.startHandshake();
        return ssl;
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.2", "TLSv1.3"})
    void modernProtocolsAreAccepted(String protocol) throws IOException {
        try (var ssl = handshake(protocol)) {
            assertEquals(protocol, ssl.getSession().getProtocol());
            assertTrue(ssl.getSession().getCipherSuite().contains("GCM") || ssl.getSession().getCipherSuite().contains("CHACHA20"),
                    ssl.getSession().getCipherSuite());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.1", "TLSv1"})
    void oldProtocolsFail(String protocol) {
        assertThrows(IOException.class, () -> handshake(protocol).close());
    }

    /** The server side restricts itself, whatever the JDK's own defaults allow. */
    @Test
    void serverSocketsAreRestrictedToTls12And13() throws IOException {
        var context = TlsContexts.fromPem(server.config().data().resolve("tls/cert.pem"), server.config().data().resolve("tls/key.pem"));
        try (var socket = (SSLSocket) context.getSocketFactory().createSocket()) {
            TlsContexts.restrictProtocols(socket);
            assertArrayEquals(new String[] {"TLSv1.3", "TLSv1.2"}, socket.getEnabledProtocols());
            for (var suite : socket.getEnabledCipherSuites()) {
                assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_") || suite.startsWith("TLS_ECDHE_"), suite);
            }
        }
    }

    @Test
    void starttlsNegotiatesAModernProtocol() throws IOException {
        try (var c = server.imap()) {
            c.greeting();
            c.tagged("a", "STARTTLS");
            c.startTls();
            var protocol = ((SSLSocket) c.socket()).getSession().getProtocol();
            assertTrue(List.of("TLSv1.2", "TLSv1.3").contains(protocol), protocol);
            assertEquals("b OK NOOP completed.", c.tagged("b", "NOOP"));
        }
    }

    @Test
    void generatedKeyIsPrivateToTheOwner() throws IOException {
        var key = server.config().data().resolve("tls/key.pem");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertTrue(Files.readString(server.config().data().resolve("tls/cert.pem")).startsWith("-----BEGIN CERTIFICATE-----"));
    }
}
