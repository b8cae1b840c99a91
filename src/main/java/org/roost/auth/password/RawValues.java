package org.roost.auth.password;

import java.util.Optional;

/** Turns the text after {@code {SCHEME}} into the scheme's raw bytes, following Dovecot's password_decode(). */
final class RawValues {

    private RawValues() {
    }

    /**
     * Decodes {@code text} for {@code scheme}. An explicit suffix wins. Without one, a fixed-length
     * scheme whose default is an encoding accepts both hex and base64: text exactly twice the raw
     * length is tried as hex first, as Dovecot does. The decoded length must match a fixed-length scheme.
     */
    static Optional<byte[]> decode(PasswordScheme scheme, String suffix, String text) {
        Optional<byte[]> raw;
        if (!suffix.isEmpty()) {
            raw = Encoding.fromSuffix(suffix).flatMap(encoding -> encoding.decode(text));
        } else if (scheme.defaultEncoding() != Encoding.NONE && scheme.rawLength() != 0) {
            raw = text.length() == scheme.rawLength() * 2
                    ? Encoding.HEX.decode(text).or(() -> Encoding.BASE64.decode(text))
                    : Encoding.BASE64.decode(text);
        } else {
            raw = scheme.defaultEncoding().decode(text);
        }
        return raw.filter(bytes -> scheme.rawLength() == 0 || bytes.length == scheme.rawLength());
    }
}
