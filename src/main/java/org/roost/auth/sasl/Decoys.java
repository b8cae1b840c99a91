package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.roost.auth.password.CramMd5Secret;
import org.roost.auth.password.Passwords;
import org.roost.auth.password.ScramHash;
import org.roost.auth.password.ScramSecret;

/**
 * Stand-ins used when a user is unknown or has no secret a mechanism can use, so that such attempts
 * do the same kind of work as a wrong password and cannot be told apart by the client.
 */
final class Decoys {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Per-process key: a decoy SCRAM salt is stable for a user name, as a real one would be. */
    private static final byte[] SALT_KEY = randomBytes(32);
    /** A hash in the default scheme of {@code roost pw}, of a password nobody knows. */
    private static final String PASSWORD_HASH = Passwords.hash("SHA512-CRYPT", randomBytes(16));
    private static final int SCRAM_SALT_BYTES = 16;

    private Decoys() {
    }

    /** Verifies the password against a hash nobody knows; always false, but costs a real verification. */
    static void verifyPassword(byte[] password) {
        Passwords.verify(PASSWORD_HASH, password);
    }

    static CramMd5Secret cramMd5Secret() {
        return CramMd5Secret.fromPassword(randomBytes(16));
    }

    /** A SCRAM secret with a salt derived from the user name and keys no password yields. */
    static ScramSecret scramSecret(ScramHash hash, String user) {
        byte[] salt = Arrays.copyOf(ScramHash.SHA_256.hmac(SALT_KEY,
                (hash.mechanism() + "\0" + user).getBytes(StandardCharsets.UTF_8)), SCRAM_SALT_BYTES);
        return ScramSecret.derive(hash, randomBytes(16), salt, ScramSecret.MIN_ITERATIONS);
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
