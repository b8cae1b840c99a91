package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.Md5Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;
import org.apache.commons.codec.digest.UnixCrypt;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Checks a crypt(3) string the way Dovecot's CRYPT scheme does through the system crypt():
 * the format is recognised by its prefix ($1$ MD5, $5$/$6$ SHA-2, $2a$/$2b$/$2y$ bcrypt,
 * otherwise 13-character traditional DES).
 */
final class CryptFormats {

    private static final Pattern DES = Pattern.compile("[./0-9A-Za-z]{13}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$\\d\\d\\$[./0-9A-Za-z]{53}");
    private static final Pattern SHA2_ROUNDS = Pattern.compile("\\$[56]\\$rounds=(\\d{1,10})\\$.*");

    private CryptFormats() {
    }

    static Verification verify(String crypted, byte[] password) {
        try {
            if (BCRYPT.matcher(crypted).matches()) {
                if (Integer.parseInt(crypted.substring(4, 6)) > WorkLimits.MAX_BCRYPT_COST) {
                    return Verification.invalid("bcrypt cost above the supported limit");
                }
                return Verification.of(OpenBSDBCrypt.checkPassword(crypted, password.clone()));
            }
            if (crypted.startsWith("$1$")) {
                return compare(crypted, Md5Crypt.md5Crypt(password.clone(), crypted));
            }
            if (crypted.startsWith("$5$") || crypted.startsWith("$6$")) {
                return verifySha2(crypted, password);
            }
            if (DES.matcher(crypted).matches()) {
                return compare(crypted, UnixCrypt.crypt(password.clone(), crypted.substring(0, 2)));
            }
            return Verification.invalid("unsupported crypt format");
        } catch (IllegalArgumentException malformed) {
            return Verification.invalid("malformed crypt string");
        }
    }

    private static Verification verifySha2(String crypted, byte[] password) {
        var rounds = SHA2_ROUNDS.matcher(crypted);
        if (rounds.matches() && Long.parseLong(rounds.group(1)) > WorkLimits.MAX_ITERATIONS) {
            return Verification.invalid("crypt rounds above the supported limit");
        }
        String computed = crypted.startsWith("$5$")
                ? Sha2Crypt.sha256Crypt(password.clone(), crypted)
                : Sha2Crypt.sha512Crypt(password.clone(), crypted);
        return compare(crypted, computed);
    }

    private static Verification compare(String stored, String computed) {
        return Verification.of(MessageDigest.isEqual(
                stored.getBytes(StandardCharsets.US_ASCII), computed.getBytes(StandardCharsets.US_ASCII)));
    }
}
