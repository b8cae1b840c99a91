package org.roost.auth.password;

import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Unsalted digests (SHA, SHA256, SHA512, PLAIN-MD5, LDAP-MD5): raw value = H(password).
 * Salted digests (SSHA, SSHA256, SSHA512, SMD5): raw value = H(password + salt) + salt,
 * with a 4-byte salt when generating, as Dovecot does.
 */
record DigestScheme(String name, String algorithm, int digestLength, boolean salted, Encoding defaultEncoding)
        implements PasswordScheme {

    private static final int GENERATED_SALT_LENGTH = 4;

    static DigestScheme plain(String name, String algorithm, int digestLength, Encoding encoding) {
        return new DigestScheme(name, algorithm, digestLength, false, encoding);
    }

    static DigestScheme salted(String name, String algorithm, int digestLength) {
        return new DigestScheme(name, algorithm, digestLength, true, Encoding.BASE64);
    }

    @Override
    public int rawLength() {
        return salted ? 0 : digestLength;
    }

    @Override
    public byte[] generate(byte[] password) {
        if (!salted) {
            return Digests.digest(algorithm, password);
        }
        byte[] salt = Salts.bytes(GENERATED_SALT_LENGTH);
        byte[] digest = Digests.digest(algorithm, password, salt);
        byte[] raw = Arrays.copyOf(digest, digest.length + salt.length);
        System.arraycopy(salt, 0, raw, digest.length, salt.length);
        return raw;
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        if (!salted) {
            return Verification.of(MessageDigest.isEqual(raw, Digests.digest(algorithm, password)));
        }
        if (raw.length <= digestLength) {
            return Verification.invalid(name + " value is too short to hold a salt");
        }
        byte[] salt = Arrays.copyOfRange(raw, digestLength, raw.length);
        byte[] expected = Arrays.copyOf(raw, digestLength);
        return Verification.of(MessageDigest.isEqual(expected, Digests.digest(algorithm, password, salt)));
    }
}
