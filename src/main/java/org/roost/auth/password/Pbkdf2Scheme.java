package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Dovecot's PBKDF2 scheme: {@code $1$<salt>$<rounds>$<hex of 20-byte PBKDF2-HMAC-SHA1>}.
 * The salt is used as its text, not decoded.
 */
record Pbkdf2Scheme() implements PasswordScheme {

    private static final Pattern FORMAT = Pattern.compile("\\$1\\$([^$]*)\\$(\\d{1,10})\\$([0-9a-fA-F]{40})");
    private static final int KEY_BYTES = 20;
    private static final int SALT_LENGTH = 16;
    private static final int DEFAULT_ROUNDS = 5000;

    @Override
    public String name() {
        return "PBKDF2";
    }

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        String salt = Salts.text(SALT_LENGTH);
        byte[] key = derive(password, salt, DEFAULT_ROUNDS);
        return ("$1$" + salt + "$" + DEFAULT_ROUNDS + "$" + HexFormat.of().formatHex(key))
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        Matcher fields = FORMAT.matcher(new String(raw, StandardCharsets.UTF_8));
        if (!fields.matches()) {
            return Verification.invalid("malformed PBKDF2 value");
        }
        long rounds = Long.parseLong(fields.group(2));
        if (rounds < 1 || rounds > WorkLimits.MAX_ITERATIONS) {
            return Verification.invalid("PBKDF2 rounds outside the supported range");
        }
        byte[] expected = HexFormat.of().parseHex(fields.group(3));
        return Verification.of(MessageDigest.isEqual(expected, derive(password, fields.group(1), (int) rounds)));
    }

    private static byte[] derive(byte[] password, String salt, int rounds) {
        var generator = new PKCS5S2ParametersGenerator(new SHA1Digest());
        generator.init(password.clone(), salt.getBytes(StandardCharsets.UTF_8), rounds);
        return ((KeyParameter) generator.generateDerivedParameters(KEY_BYTES * 8)).getKey();
    }
}
