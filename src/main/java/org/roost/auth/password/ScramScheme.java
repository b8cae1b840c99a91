package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** SCRAM-SHA-1 and SCRAM-SHA-256 stored secrets; a password matches when it yields the same StoredKey. */
record ScramScheme(ScramHash hash) implements PasswordScheme {

    @Override
    public String name() {
        return hash.mechanism();
    }

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        return ScramSecret.derive(hash, password).format().getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        return ScramSecret.parse(hash, new String(raw, StandardCharsets.UTF_8))
                .map(stored -> {
                    ScramSecret derived = ScramSecret.derive(hash, password, stored.salt(), stored.iterations());
                    return Verification.of(MessageDigest.isEqual(stored.storedKey(), derived.storedKey()));
                })
                .orElseGet(() -> Verification.invalid("malformed " + name() + " value"));
    }
}
