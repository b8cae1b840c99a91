package org.roost.net.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PEM pairs as operators have them: made by openssl (traditional and PKCS#8), with chains, and mismatched. */
class CertifiedKeyTest {
    @TempDir
    Path dir;

    private void openssl(String... args) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl not installed");
        var command = new java.util.ArrayList<>(List.of("openssl"));
        command.addAll(List.of(args));
        var p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        var out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }

    @Test
    void opensslTraditionalEcAndRsaKeysLoad() throws Exception {
        openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.key");
        openssl("req", "-new", "-x509", "-key", "ec.key", "-subj", "/CN=ec.test", "-days", "2", "-out", "ec.pem");
        openssl("genrsa", "-traditional", "-out", "rsa.key", "2048");
        openssl("req", "-new", "-x509", "-key", "rsa.key", "-subj", "/CN=rsa.test", "-days", "2", "-out", "rsa.pem");
        assertTrue(Files.readString(dir.resolve("ec.key")).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("rsa.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertEquals("EC", CertifiedKey.load(dir.resolve("ec.pem"), dir.resolve("ec.key")).key().getAlgorithm());
        assertEquals("RSA", CertifiedKey.load(dir.resolve("rsa.pem"), dir.resolve("rsa.key")).key().getAlgorithm());
    }

    @Test
    void opensslPkcs8KeyWithAChainLoadsLeafFirst() throws Exception {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-subj", "/CN=Test CA",
                "-days", "2", "-out", "ca.pem");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "leaf.key",
                "-subj", "/CN=leaf.test", "-out", "leaf.csr");
        openssl("x509", "-req", "-in", "leaf.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                "-days", "2", "-out", "leaf.pem");
        Files.writeString(dir.resolve("chain.pem"), Files.readString(dir.resolve("leaf.pem")) + Files.readString(dir.resolve("ca.pem")));
        var pair = CertifiedKey.load(dir.resolve("chain.pem"), dir.resolve("leaf.key"));
        assertEquals(2, pair.chain().size());
        assertEquals("CN=leaf.test", pair.leaf().getSubjectX500Principal().getName());
    }

    @Test
    void aKeyThatIsNotTheLeafsIsRefused() throws Exception {
        var a = TestCertificates.leaf(TestCertificates.ec(), null, "a.test");
        var b = TestCertificates.leaf(TestCertificates.ec(), null, "b.test");
        TestCertificates.write(dir.resolve("a.pem"), dir.resolve("a.key"), a.keys(), false, a.certificate());
        TestCertificates.write(dir.resolve("b.pem"), dir.resolve("b.key"), b.keys(), false, b.certificate());
        var e = assertThrows(IOException.class, () -> CertifiedKey.load(dir.resolve("a.pem"), dir.resolve("b.key")));
        assertTrue(e.getMessage().contains("not the private key"), e.getMessage());
    }

    @Test
    void garbageAndEmptyFilesAreClearErrors() throws Exception {
        Files.writeString(dir.resolve("empty.pem"), "");
        Files.writeString(dir.resolve("junk.key"), "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n");
        var a = TestCertificates.leaf(TestCertificates.rsa(), null, "a.test");
        TestCertificates.write(dir.resolve("a.pem"), dir.resolve("a.key"), a.keys(), true, a.certificate());
        assertThrows(IOException.class, () -> CertifiedKey.load(dir.resolve("empty.pem"), dir.resolve("a.key")));
        assertThrows(IOException.class, () -> CertifiedKey.load(dir.resolve("a.pem"), dir.resolve("junk.key")));
        assertEquals("RSA", CertifiedKey.load(dir.resolve("a.pem"), dir.resolve("a.key")).key().getAlgorithm());
    }
}
