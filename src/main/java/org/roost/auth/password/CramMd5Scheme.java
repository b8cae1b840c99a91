package org.roost.auth.password;

import java.security.MessageDigest;

/** CRAM-MD5 and its alias HMAC-MD5: the stored HMAC-MD5 context, hex by default. */
record CramMd5Scheme(String name) implements PasswordScheme {

    @Override
    public Encoding defaultEncoding() {
        return Encoding.HEX;
    }

    @Override
    public int rawLength() {
        return CramMd5Secret.CONTEXT_BYTES;
    }

    @Override
    public byte[] generate(byte[] password) {
        return CramMd5Secret.fromPassword(password).context();
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        return Verification.of(MessageDigest.isEqual(raw, generate(password)));
    }
}
