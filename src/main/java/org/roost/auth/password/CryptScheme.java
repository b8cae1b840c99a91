package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The crypt(3) family: CRYPT, DES-CRYPT, MD5-CRYPT, SHA256-CRYPT, SHA512-CRYPT, BLF-CRYPT.
 * All of them verify any crypt format (Dovecot hands the stored string to crypt(), which picks
 * the algorithm from the prefix); they differ only in what they generate, and the salt
 * lengths and cost below are Dovecot 2.3's defaults.
 */
record CryptScheme(String name, Function<byte[], String> generator) implements PasswordScheme {

    private static final int BCRYPT_COST = 5;
    private static final int BCRYPT_SALT_BYTES = 16;

    static CryptScheme des(String name) {
        return new CryptScheme(name, password -> UnixCrypt.crypt(password, Salts.text(2)));
    }

    static CryptScheme md5(String name) {
        return new CryptScheme(name, password -> Md5Crypt.md5Crypt(password, "$1$" + Salts.text(8)));
    }

    static CryptScheme sha256(String name) {
        return new CryptScheme(name, password -> Sha2Crypt.sha256Crypt(password, "$5$" + Salts.text(16)));
    }

    static CryptScheme sha512(String name) {
        return new CryptScheme(name, password -> Sha2Crypt.sha512Crypt(password, "$6$" + Salts.text(16)));
    }

    static CryptScheme blowfish(String name) {
        return new CryptScheme(name,
                password -> OpenBSDBCrypt.generate("2y", password, Salts.bytes(BCRYPT_SALT_BYTES), BCRYPT_COST));
    }

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        return generator.apply(password.clone()).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        return CryptFormats.verify(new String(raw, StandardCharsets.UTF_8), password);
    }
}
