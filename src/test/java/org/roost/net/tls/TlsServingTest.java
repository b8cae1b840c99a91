package org.roost.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.net.Connection;
import org.roost.net.ConnectionHandler;
import org.roost.net.ConnectionLimits;
import org.roost.net.Listener;
import org.roost.net.TrafficMeter;

/**
 * The real implicit-TLS {@link Listener} serving a {@link ReloadingTls}: protocol versions, an RSA chain under a
 * test CA, EC keys, SNI selection, and rotation without dropping established sessions. Checked with the JDK's
 * SSLSocket and with {@code openssl s_client}.
 */
class TlsServingTest {
    @TempDir
    Path dir;
    private TestCertificates.Issued ca;
    private ReloadingTls tls;
    private Listener listener;

    @BeforeEach
    void start() throws Exception {
        ca = TestCertificates.ca("Roost Test CA");
        var fallback = TestCertificates.leaf(TestCertificates.ec(), null, "default.test");
        TestCertificates.write(dir.resolve("default.pem"), dir.resolve("default.key"), fallback.keys(), false,
                fallback.certificate());
        var rsa = TestCertificates.leaf(TestCertificates.rsa(), ca, "mail.example.net", "imap.example.net");
        TestCertificates.write(dir.resolve("rsa.pem"), dir.resolve("rsa.key"), rsa.keys(), true,
                rsa.certificate(), ca.certificate());
        var ec = TestCertificates.leaf(TestCertificates.ec(), null, "*.example.org");
        TestCertificates.write(dir.resolve("ec.pem"), dir.resolve("ec.key"), ec.keys(), false, ec.certificate());
        tls = new ReloadingTls(PemSource.fallback(dir.resolve("default.pem"), dir.resolve("default.key")), List.of(
                new PemSource(List.of("mail.example.net", "imap.example.net"), dir.resolve("rsa.pem"), dir.resolve("rsa.key")),
                new PemSource(List.of("*.example.org"), dir.resolve("ec.pem"), dir.resolve("ec.key"))));
        listener = listen("127.0.0.1");
    }

    private Listener listen(String address) throws IOException {
        var l = new Listener("test-tls", new InetSocketAddress(address, 0), tls, new EchoHandler(),
                new ConnectionLimits(100, 100, Duration.ZERO), TrafficMeter.NONE, Duration.ofSeconds(10));
        l.start();
        return l;
    }

    @AfterEach
    void stop() {
        listener.close();
        tls.close();
    }

    /** Greets, then echoes lines: enough to show a session is alive. */
    private static final class EchoHandler implements ConnectionHandler {
        @Override
        public void serve(Connection connection) {
            try {
                var in = new BufferedReader(new InputStreamReader(connection.input(), StandardCharsets.US_ASCII));
                connection.output().write(("hello " + connection.tlsProtocol() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                connection.output().flush();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    connection.output().write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    connection.output().flush();
                }
            } catch (IOException ignored) {
                // client went away
            }
        }

        @Override
        public void refuse(Connection connection, String reason) {}
    }

    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private SSLSocket connect(String host, String sni, TrustManager trust, String... protocols) throws Exception {
        var context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trust}, null);
        var socket = (SSLSocket) context.getSocketFactory().createSocket(host, listener.port());
        socket.setSoTimeout(10_000);
        var p = socket.getSSLParameters();
        if (sni != null) {
            p.setServerNames(List.of(new SNIHostName(sni)));
        }
        p.setProtocols(protocols);
        socket.setSSLParameters(p);
        socket.startHandshake();
        return socket;
    }

    private String served(String sni) throws Exception {
        try (var s = connect("127.0.0.1", sni, TRUST_ALL, "TLSv1.3")) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
        }
    }

    private static String readLine(SSLSocket s) throws IOException {
        var out = new StringBuilder();
        for (int c = s.getInputStream().read(); c >= 0 && c != '\n'; c = s.getInputStream().read()) {
            if (c != '\r') {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    @Test
    void tls12AndTls13AreAcceptedWithForwardSecretAeadSuites() throws Exception {
        for (var version : List.of("TLSv1.2", "TLSv1.3")) {
            try (var s = connect("127.0.0.1", null, TRUST_ALL, version)) {
                assertEquals(version, s.getSession().getProtocol());
                var suite = s.getSession().getCipherSuite();
                assertTrue(suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20")
                        || suite.startsWith("TLS_ECDHE_"), suite);
                assertEquals("hello " + version, readLine(s));
            }
        }
    }

    @Test
    void sniChoosesTheCertificateExactWildcardAndDefault() throws Exception {
        assertEquals("CN=mail.example.net", served("mail.example.net"));
        assertEquals("CN=mail.example.net", served("IMAP.example.net"));
        assertEquals("CN=*.example.org", served("imap.example.org"));
        assertEquals("CN=default.test", served("a.b.example.org"), "a wildcard covers one label only");
        assertEquals("CN=default.test", served("unknown.test"));
        assertEquals("CN=default.test", served(null));
    }

    @Test
    void anRsaChainValidatesUnderItsCaForTheRequestedName() throws Exception {
        var store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("ca", ca.certificate());
        var tmf = TrustManagerFactory.getInstance("PKIX");
        tmf.init(store);
        var context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        try (var s = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", listener.port())) {
            var p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("imap.example.net")));
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            // Hostname check needs the name the client connected to; the JDK uses the SNI name for it.
            s.startHandshake();
            assertEquals(2, s.getSession().getPeerCertificates().length, "leaf and intermediate are both sent");
            assertEquals("hello TLSv1.3", readLine(s));
        }
    }

    @Test
    void ipv6LoopbackServesTlsToo() throws Exception {
        listener.close();
        listener = listen("::1");
        try (var s = connect("::1", "mail.example.net", TRUST_ALL, "TLSv1.3")) {
            assertEquals("hello TLSv1.3", readLine(s));
        }
    }

    @Test
    void aRotatedCertificateIsServedToNewHandshakesWhileOldSessionsCarryOn() throws Exception {
        try (var before = connect("127.0.0.1", null, TRUST_ALL, "TLSv1.3")) {
            assertEquals("hello TLSv1.3", readLine(before));
            var rotated = TestCertificates.leaf(TestCertificates.rsa(), ca, "rotated.test");
            // Written beside and renamed into place, as Kubernetes and certbot do.
            TestCertificates.write(dir.resolve("new.pem"), dir.resolve("new.key"), rotated.keys(), false,
                    rotated.certificate());
            Files.move(dir.resolve("new.key"), dir.resolve("default.key"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            assertFalse(tls.reloadIfChanged(), "new key with the old certificate: refused, old pair kept");
            assertEquals("CN=default.test", served(null));
            Files.move(dir.resolve("new.pem"), dir.resolve("default.pem"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
            assertTrue(tls.reloadIfChanged());
            assertFalse(tls.reloadIfChanged(), "nothing changed since");
            assertEquals("CN=rotated.test", served(null));
            before.getOutputStream().write("still here\r\n".getBytes(StandardCharsets.US_ASCII));
            before.getOutputStream().flush();
            assertEquals("still here", readLine(before), "the session opened before the rotation is untouched");
        }
    }

    @Test
    void theWatcherPicksUpARotationByItself() throws Exception {
        tls.watchEvery(Duration.ofMillis(50));
        var rotated = TestCertificates.leaf(TestCertificates.ec(), null, "watched.test");
        TestCertificates.write(dir.resolve("new.pem"), dir.resolve("new.key"), rotated.keys(), false, rotated.certificate());
        Files.move(dir.resolve("new.key"), dir.resolve("default.key"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(dir.resolve("new.pem"), dir.resolve("default.pem"), StandardCopyOption.REPLACE_EXISTING);
        String subject = "";
        for (int i = 0; i < 200 && !subject.equals("CN=watched.test"); i++) {
            Thread.sleep(50);
            subject = served(null);
        }
        assertEquals("CN=watched.test", subject);
    }

    @Test
    void opensslSeesOnlyTls12AndTls13AndTheSniCertificate() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        var tls11 = openssl("-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertTrue(tls11.contains("alert protocol version"), "the server itself refuses TLS 1.1:\n" + tls11);
        assertTrue(tls11.contains("Cipher is (NONE)"), tls11);
        var tls10 = openssl("-tls1", "-cipher", "DEFAULT:@SECLEVEL=0");
        assertTrue(tls10.contains("alert protocol version") && tls10.contains("Cipher is (NONE)"), tls10);
        var tls12 = openssl("-tls1_2", "-servername", "mail.example.net");
        assertTrue(tls12.contains("TLSv1.2"), tls12);
        assertTrue(tls12.contains("CN = mail.example.net") || tls12.contains("CN=mail.example.net"), tls12);
        var tls13 = openssl("-tls1_3", "-servername", "x.example.org");
        assertTrue(tls13.contains("TLSv1.3"), tls13);
        assertTrue(tls13.contains("example.org"), tls13);
    }

    private String openssl(String... options) throws Exception {
        var command = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + listener.port()));
        command.addAll(List.of(options));
        var process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        return output;
    }
}
