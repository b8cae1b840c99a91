package org.roost.auth.password;

import java.security.SecureRandom;

/** Fresh salts from one shared {@link SecureRandom}. */
final class Salts {

    /** The alphabet crypt(3) and Dovecot use for textual salts. */
    private static final String CRYPT_ALPHABET =
            "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Salts() {
    }

    static byte[] bytes(int length) {
        byte[] salt = new byte[length];
        RANDOM.nextBytes(salt);
        return salt;
    }

    static String text(int length) {
        var salt = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            salt.append(CRYPT_ALPHABET.charAt(RANDOM.nextInt(CRYPT_ALPHABET.length())));
        }
        return salt.toString();
    }
}
