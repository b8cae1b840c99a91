package org.roost.auth.password;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The supported schemes by their Dovecot names (aliases included). */
final class Schemes {

    private static final Map<String, PasswordScheme> BY_NAME = build();

    private Schemes() {
    }

    static Optional<PasswordScheme> byName(String upperCaseName) {
        return Optional.ofNullable(BY_NAME.get(upperCaseName));
    }

    static Iterable<String> names() {
        return BY_NAME.keySet();
    }

    private static Map<String, PasswordScheme> build() {
        var schemes = new LinkedHashMap<String, PasswordScheme>();
        PasswordScheme md5Crypt = CryptScheme.md5("MD5-CRYPT");
        PasswordScheme plainMd5 = DigestScheme.plain("PLAIN-MD5", "MD5", 16, Encoding.HEX);
        for (PasswordScheme scheme : new PasswordScheme[] {
                new PlainScheme("PLAIN"), new PlainScheme("CLEAR"), new PlainScheme("CLEARTEXT"),
                CryptScheme.blowfish("CRYPT"), CryptScheme.des("DES-CRYPT"), md5Crypt,
                CryptScheme.sha256("SHA256-CRYPT"), CryptScheme.sha512("SHA512-CRYPT"),
                CryptScheme.blowfish("BLF-CRYPT"),
                Argon2Scheme.argon2i(), Argon2Scheme.argon2id(), new Pbkdf2Scheme(),
                DigestScheme.plain("SHA", "SHA-1", 20, Encoding.BASE64),
                DigestScheme.plain("SHA1", "SHA-1", 20, Encoding.BASE64),
                DigestScheme.plain("SHA256", "SHA-256", 32, Encoding.BASE64),
                DigestScheme.plain("SHA512", "SHA-512", 64, Encoding.BASE64),
                DigestScheme.salted("SSHA", "SHA-1", 20),
                DigestScheme.salted("SSHA256", "SHA-256", 32),
                DigestScheme.salted("SSHA512", "SHA-512", 64),
                new Md5Scheme(md5Crypt, plainMd5), plainMd5,
                DigestScheme.plain("LDAP-MD5", "MD5", 16, Encoding.BASE64),
                DigestScheme.salted("SMD5", "MD5", 16),
                new CramMd5Scheme("CRAM-MD5"), new CramMd5Scheme("HMAC-MD5"),
                new ScramScheme(ScramHash.SHA_1), new ScramScheme(ScramHash.SHA_256)}) {
            schemes.put(scheme.name(), scheme);
        }
        return Map.copyOf(schemes);
    }
}
