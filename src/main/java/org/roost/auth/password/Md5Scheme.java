package org.roost.auth.password;

import java.nio.charset.StandardCharsets;

/**
 * Dovecot's ambiguous "MD5" scheme: a {@code $1$} value is MD5-CRYPT, anything else is
 * PLAIN-MD5 (hex, or base64 when the length says so). It generates MD5-CRYPT.
 */
record Md5Scheme(PasswordScheme md5Crypt, PasswordScheme plainMd5) implements PasswordScheme {

    @Override
    public String name() {
        return "MD5";
    }

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        return md5Crypt.generate(password);
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        String text = new String(raw, StandardCharsets.UTF_8);
        if (text.startsWith("$1$")) {
            return md5Crypt.verify(raw, password);
        }
        return RawValues.decode(plainMd5, "", text)
                .map(digest -> plainMd5.verify(digest, password))
                .orElseGet(() -> Verification.invalid("not a valid MD5-CRYPT or PLAIN-MD5 value"));
    }
}
