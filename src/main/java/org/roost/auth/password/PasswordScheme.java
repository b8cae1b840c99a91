package org.roost.auth.password;

/** One Dovecot password scheme: how its raw value is made from a password and checked against one. */
interface PasswordScheme {

    /** Upper-case Dovecot name, e.g. "SHA512-CRYPT". */
    String name();

    /** Encoding used when the stored name has no ".B64"/".HEX" suffix. */
    Encoding defaultEncoding();

    /**
     * Exact raw length in bytes for fixed-size digests (lets Dovecot tell hex from base64
     * without a suffix), or 0 when the length varies.
     */
    default int rawLength() {
        return 0;
    }

    /** A new raw value for the password with a fresh salt, before encoding. */
    byte[] generate(byte[] password);

    /** Checks the password against a decoded raw value. Never throws for malformed raw values. */
    Verification verify(byte[] raw, byte[] password);
}
