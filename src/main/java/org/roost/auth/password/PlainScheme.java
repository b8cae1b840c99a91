package org.roost.auth.password;

import java.security.MessageDigest;

/** PLAIN, CLEAR and CLEARTEXT: the password itself. */
record PlainScheme(String name) implements PasswordScheme {

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        return password.clone();
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        return Verification.of(MessageDigest.isEqual(raw, password));
    }
}
