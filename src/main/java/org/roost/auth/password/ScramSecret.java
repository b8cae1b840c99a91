package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * What a SCRAM server keeps (RFC 5802 section 3): iteration count, salt, StoredKey and ServerKey.
 * Dovecot stores it as {@code {SCRAM-SHA-1}iter,base64(salt),base64(StoredKey),base64(ServerKey)}.
 */
public record ScramSecret(ScramHash hash, int iterations, byte[] salt, byte[] storedKey, byte[] serverKey) {

    /** Dovecot's range: RFC 5802 says the count SHOULD be at least 4096. */
    public static final int MIN_ITERATIONS = 4096;
    static final int DEFAULT_ITERATIONS = 4096;
    static final int SALT_BYTES = 16;

    public ScramSecret {
        salt = salt.clone();
        storedKey = storedKey.clone();
        serverKey = serverKey.clone();
    }

    /** Derives the secret from a password (SaltedPassword, ClientKey, StoredKey, ServerKey of RFC 5802). */
    public static ScramSecret derive(ScramHash hash, byte[] password, byte[] salt, int iterations) {
        byte[] salted = hash.saltedPassword(password, salt, iterations);
        byte[] clientKey = hash.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] serverKey = hash.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        return new ScramSecret(hash, iterations, salt, hash.hash(clientKey), serverKey);
    }

    /** Derives with a fresh random salt and Dovecot's default iteration count. */
    public static ScramSecret derive(ScramHash hash, byte[] password) {
        return derive(hash, password, Salts.bytes(SALT_BYTES), DEFAULT_ITERATIONS);
    }

    /** Parses Dovecot's stored form; empty when any field is malformed or out of range. */
    static Optional<ScramSecret> parse(ScramHash hash, String text) {
        String[] fields = text.split(",", -1);
        if (fields.length != 4 || !fields[0].matches("\\d{1,10}")) {
            return Optional.empty();
        }
        long iterations = Long.parseLong(fields[0]);
        if (iterations < MIN_ITERATIONS || iterations > WorkLimits.MAX_ITERATIONS) {
            return Optional.empty();
        }
        try {
            Base64.Decoder base64 = Base64.getDecoder();
            byte[] salt = base64.decode(fields[1]);
            byte[] storedKey = base64.decode(fields[2]);
            byte[] serverKey = base64.decode(fields[3]);
            if (salt.length == 0 || storedKey.length != hash.length() || serverKey.length != hash.length()) {
                return Optional.empty();
            }
            return Optional.of(new ScramSecret(hash, (int) iterations, salt, storedKey, serverKey));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    /** The passwd-file value, {@code {SCRAM-SHA-…}iter,salt,StoredKey,ServerKey}. */
    public String toStoredPassword() {
        return "{" + hash.mechanism() + "}" + format();
    }

    /** Dovecot's stored form, without the {SCHEME} prefix. */
    String format() {
        Base64.Encoder base64 = Base64.getEncoder();
        return iterations + "," + base64.encodeToString(salt) + "," + base64.encodeToString(storedKey)
                + "," + base64.encodeToString(serverKey);
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] storedKey() {
        return storedKey.clone();
    }

    @Override
    public byte[] serverKey() {
        return serverKey.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ScramSecret that && hash == that.hash && iterations == that.iterations
                && java.util.Arrays.equals(salt, that.salt) && java.util.Arrays.equals(storedKey, that.storedKey)
                && java.util.Arrays.equals(serverKey, that.serverKey);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(hash, iterations, java.util.Arrays.hashCode(salt),
                java.util.Arrays.hashCode(storedKey));
    }

    @Override
    public String toString() {
        return "ScramSecret[" + hash.mechanism() + ", iterations=" + iterations + "]";
    }
}
