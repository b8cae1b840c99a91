package org.roost.net.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A certificate chain (leaf first, then intermediates) and the leaf's private key, read from PEM files:
 * RSA or EC (or Ed25519), PKCS#8 ({@code PRIVATE KEY}) or the traditional {@code RSA/EC PRIVATE KEY} forms.
 * Loading checks that the key belongs to the leaf certificate, so a half-rotated pair (new certificate,
 * old key) is refused instead of breaking every handshake.
 */
public record CertifiedKey(List<X509Certificate> chain, PrivateKey key) {

    public CertifiedKey {
        chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
        return chain.getFirst();
    }

    public static CertifiedKey load(Path certificateFile, Path keyFile) throws IOException {
        var chain = readCertificates(certificateFile);
        if (chain.isEmpty()) {
            throw new IOException(certificateFile + ": no CERTIFICATE block found");
        }
        var key = readPrivateKey(keyFile);
        if (!matches(chain.getFirst(), key)) {
            throw new IOException(keyFile + " is not the private key of the first certificate in " + certificateFile);
        }
        return new CertifiedKey(chain, key);
    }

    private static List<X509Certificate> readCertificates(Path file) throws IOException {
        var converter = new JcaX509CertificateConverter();
        var out = new ArrayList<X509Certificate>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    out.add(converter.getCertificate(holder));
                }
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException(file + ": bad certificate: " + e.getMessage(), e);
        }
        return out;
    }

    private static PrivateKey readPrivateKey(Path file) throws IOException {
        var converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII); var pem = new PEMParser(reader)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                switch (o) {
                    case PEMKeyPair pair -> { return converter.getPrivateKey(pair.getPrivateKeyInfo()); }
                    case PrivateKeyInfo info -> { return converter.getPrivateKey(info); }
                    default -> { }
                }
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": bad private key: " + e.getMessage(), e);
        }
        throw new IOException(file + ": no unencrypted PRIVATE KEY block found");
    }

    /** Signs a probe with the key and verifies it with the certificate: true only for a real pair. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) throws IOException {
        var algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            case "RSASSA-PSS" -> "RSASSA-PSS";
            default -> throw new IOException("unsupported private key algorithm " + key.getAlgorithm());
        };
        try {
            var probe = "roost key check".getBytes(StandardCharsets.US_ASCII);
            var signer = Signature.getInstance(algorithm);
            if (algorithm.equals("RSASSA-PSS")) {
                signer.setParameter(new java.security.spec.PSSParameterSpec("SHA-256", "MGF1",
                        java.security.spec.MGF1ParameterSpec.SHA256, 32, 1));
            }
            signer.initSign(key);
            signer.update(probe);
            var signature = signer.sign();
            signer.initVerify(certificate.getPublicKey());
            signer.update(probe);
            return signer.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
