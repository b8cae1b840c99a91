package org.roost.auth.password;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** JDK message digests by name; every Java SE runtime must provide MD5, SHA-1, SHA-256 and SHA-512. */
final class Digests {

    private Digests() {
    }

    static MessageDigest get(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException mandatoryAlgorithm) {
            throw new IllegalStateException("Java runtime lacks " + algorithm, mandatoryAlgorithm);
        }
    }

    static byte[] digest(String algorithm, byte[]... parts) {
        MessageDigest digest = get(algorithm);
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }
}
