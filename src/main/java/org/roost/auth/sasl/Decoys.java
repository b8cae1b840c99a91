package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
    private static final String DEFAULT_SCHEME = "SHA512-CRYPT";
    /** Per scheme, a hash of a password nobody knows, made on first use. */
    private static final Map<String, String> PASSWORD_HASHES = new ConcurrentHashMap<>();
    /**
     * The scheme of the last real user looked up. Verifying unknown users against this scheme makes
     * them cost what real users cost on this site (a bcrypt or Argon2 site pays far more per check
     * than a SHA512-CRYPT one), so response time does not tell whether a user exists.
     */
    private static volatile String lastSeenScheme = DEFAULT_SCHEME;
    private static final int SCRAM_SALT_BYTES = 16;

    private Decoys() {
    }

    /** Remembers the scheme of a real user's stored password for later decoy verifications. */
    static void sawStoredPassword(String storedPassword) {
        String scheme = Passwords.schemeOf(storedPassword);
        if (Passwords.supports(scheme)) {
            lastSeenScheme = scheme;
        }
    }

    /** Verifies the password against a hash nobody knows; always false, but costs a real verification. */
    static void verifyPassword(byte[] password) {
        String hash = PASSWORD_HASHES.computeIfAbsent(lastSeenScheme,
                scheme -> Passwords.hash(scheme, randomBytes(16)));
        Passwords.verify(hash, password);
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
