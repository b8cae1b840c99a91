package org.roost.net;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.roost.net.tls.PemSource;
import org.roost.net.tls.ReloadingTls;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS policy (TLS 1.2/1.3, forward-secret AEAD suites), PEM loading, and a self-signed pair when none is
 * configured. The running server uses {@link ReloadingTls} for SNI and certificate rotation.
 */
public final class TlsContexts {
    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** Forward-secret AEAD suites only (TLS 1.3 suites are all AEAD). */
    private static final String[] CIPHER_SUITES = {
        "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    };

    private TlsContexts() {}

    /** Loads a certificate chain and its private key from PEM files (no SNI, no reload). */
    public static SSLContext fromPem(Path certificateFile, Path keyFile) throws IOException {
        return new ReloadingTls(PemSource.fallback(certificateFile, keyFile), List.of()).get();
    }

    /** Restricts a server socket to TLS 1.2/1.3 and the modern suites. */
    public static void restrictProtocols(SSLSocket socket) {
        socket.setSSLParameters(parameters(socket.getSSLParameters(), socket.getSupportedCipherSuites()));
    }

    public static void restrictProtocols(SSLServerSocket socket) {
        socket.setSSLParameters(parameters(socket.getSSLParameters(), socket.getSupportedCipherSuites()));
    }

    private static SSLParameters parameters(SSLParameters p, String[] supported) {
        p.setProtocols(PROTOCOLS);
        var supportedList = List.of(supported);
        p.setCipherSuites(List.of(CIPHER_SUITES).stream().filter(supportedList::contains).toArray(String[]::new));
        p.setUseCipherSuitesOrder(true);
        return p;
    }

    /**
     * Writes a self-signed EC P-256 certificate for localhost into {@code certFile}/{@code keyFile}
     * (key readable by the owner only). Files are written to temporaries and moved into place.
     */
    public static void generateSelfSigned(Path certFile, Path keyFile, String hostName) throws IOException {
        try {
            var generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            var pair = generator.generateKeyPair();
            var name = new X500Name("CN=" + hostName + ", O=Roost self-signed");
            var now = Instant.now();
            var builder = new JcaX509v3CertificateBuilder(name, new BigInteger(64, new SecureRandom()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))),
                    name, pair.getPublic());
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, hostName),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
            }));
            var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate());
            var certificate = new JcaX509CertificateConverter().getCertificate(builder.build(signer));
            writePem(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), true);
            writePem(certFile, pem("CERTIFICATE", certificate.getEncoded()), false);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IOException("cannot generate a self-signed certificate: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        var body = java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void writePem(Path file, String text, boolean secret) throws IOException {
        var tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (secret) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(tmp, text, java.nio.charset.StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
