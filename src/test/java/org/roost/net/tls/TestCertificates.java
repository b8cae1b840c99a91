package org.roost.net.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Test PKI made with BouncyCastle: a CA, RSA and EC leaves for given names, written as PEM files. */
final class TestCertificates {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Issued(KeyPair keys, X509Certificate certificate) {}

    private TestCertificates() {}

    static KeyPair rsa() throws GeneralSecurityException {
        var g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048, RANDOM);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws GeneralSecurityException {
        var g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    static Issued ca(String cn) throws Exception {
        var keys = rsa();
        var name = new X500Name("CN=" + cn);
        var builder = builder(name, name, keys);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return new Issued(keys, sign(builder, keys));
    }

    /** A leaf for {@code names} (the first is the CN), signed by {@code issuer} or self-signed when null. */
    static Issued leaf(KeyPair keys, Issued issuer, String... names) throws Exception {
        var subject = new X500Name("CN=" + names[0]);
        var builder = builder(issuer == null ? subject : new X500Name(issuer.certificate().getSubjectX500Principal().getName()),
                subject, keys);
        var general = new GeneralName[names.length];
        for (int i = 0; i < names.length; i++) {
            general[i] = new GeneralName(GeneralName.dNSName, names[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(general));
        return new Issued(keys, sign(builder, issuer == null ? keys : issuer.keys()));
    }

    private static JcaX509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
        var now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))), subject, keys.getPublic());
    }

    private static X509Certificate sign(JcaX509v3CertificateBuilder builder, KeyPair signer) throws Exception {
        var algorithm = signer.getPrivate().getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(signer.getPrivate())));
    }

    /** Writes the chain (leaf first) and the key; {@code traditional} uses "RSA/EC PRIVATE KEY" instead of PKCS#8. */
    static void write(Path certFile, Path keyFile, KeyPair keys, boolean traditional, X509Certificate... chain)
            throws IOException {
        var certs = new StringWriter();
        try (var pem = new JcaPEMWriter(certs)) {
            for (var c : chain) {
                pem.writeObject(c);
            }
        }
        var key = new StringWriter();
        try (var pem = new JcaPEMWriter(key)) {
            if (traditional) {
                pem.writeObject(new JcaMiscPEMGenerator(keys.getPrivate()));
            } else {
                pem.writeObject(new PemObject("PRIVATE KEY", keys.getPrivate().getEncoded()));
            }
        }
        Files.writeString(certFile, certs.toString());
        Files.writeString(keyFile, key.toString());
    }

    static List<String> subjectsOf(java.security.cert.Certificate[] chain) {
        return java.util.Arrays.stream(chain).map(c -> ((X509Certificate) c).getSubjectX500Principal().getName()).toList();
    }
}
