package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * ARGON2I and ARGON2ID in the PHC string format libsodium writes for Dovecot:
 * {@code $argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>} (unpadded base64). Like libsodium's
 * crypto_pwhash_str_verify, the variant is taken from the string, not from the scheme name.
 */
record Argon2Scheme(String name, int type, int memoryKib, int passes) implements PasswordScheme {

    private static final Pattern PHC = Pattern.compile(
            "\\$(argon2i|argon2id|argon2d)(?:\\$v=(\\d{1,3}))?\\$m=(\\d{1,10}),t=(\\d{1,10}),p=(\\d{1,3})"
                    + "\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final int MIN_SALT_BYTES = 8;
    private static final int MIN_HASH_BYTES = 4;
    private static final int MAX_HASH_BYTES = 1024;
    private static final Base64.Encoder UNPADDED = Base64.getEncoder().withoutPadding();

    /** libsodium's interactive limits, which are what {@code doveadm pw} produces. */
    static Argon2Scheme argon2i() {
        return new Argon2Scheme("ARGON2I", Argon2Parameters.ARGON2_i, 32768, 4);
    }

    static Argon2Scheme argon2id() {
        return new Argon2Scheme("ARGON2ID", Argon2Parameters.ARGON2_id, 65536, 3);
    }

    @Override
    public Encoding defaultEncoding() {
        return Encoding.NONE;
    }

    @Override
    public byte[] generate(byte[] password) {
        byte[] salt = Salts.bytes(SALT_BYTES);
        var parameters = new Argon2Parameters.Builder(type)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib).withIterations(passes).withParallelism(1)
                .withSalt(salt).build();
        byte[] hash = derive(parameters, password, HASH_BYTES);
        String text = "$" + typeName(type) + "$v=19$m=" + memoryKib + ",t=" + passes + ",p=1$"
                + UNPADDED.encodeToString(salt) + "$" + UNPADDED.encodeToString(hash);
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public Verification verify(byte[] raw, byte[] password) {
        Matcher phc = PHC.matcher(new String(raw, StandardCharsets.UTF_8));
        if (!phc.matches()) {
            return Verification.invalid("malformed Argon2 string");
        }
        Optional<byte[]> salt = unpadded(phc.group(6));
        Optional<byte[]> expected = unpadded(phc.group(7));
        long memory = Long.parseLong(phc.group(3));
        long passes = Long.parseLong(phc.group(4));
        int lanes = Integer.parseInt(phc.group(5));
        int version = phc.group(2) == null ? Argon2Parameters.ARGON2_VERSION_10 : Integer.parseInt(phc.group(2));
        if (salt.isEmpty() || expected.isEmpty()
                || salt.get().length < MIN_SALT_BYTES
                || expected.get().length < MIN_HASH_BYTES || expected.get().length > MAX_HASH_BYTES) {
            return Verification.invalid("malformed Argon2 salt or hash");
        }
        if (version != Argon2Parameters.ARGON2_VERSION_10 && version != Argon2Parameters.ARGON2_VERSION_13) {
            return Verification.invalid("unsupported Argon2 version");
        }
        if (lanes < 1 || lanes > WorkLimits.MAX_ARGON2_LANES || passes < 1 || passes > WorkLimits.MAX_ARGON2_PASSES
                || memory < 8L * lanes || memory > WorkLimits.MAX_ARGON2_MEMORY_KIB) {
            return Verification.invalid("Argon2 parameters outside the supported range");
        }
        var parameters = new Argon2Parameters.Builder(typeOf(phc.group(1)))
                .withVersion(version).withMemoryAsKB((int) memory).withIterations((int) passes)
                .withParallelism(lanes).withSalt(salt.get()).build();
        byte[] actual = derive(parameters, password, expected.get().length);
        return Verification.of(MessageDigest.isEqual(expected.get(), actual));
    }

    private static byte[] derive(Argon2Parameters parameters, byte[] password, int length) {
        var generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] out = new byte[length];
        generator.generateBytes(password.clone(), out);
        return out;
    }

    private static Optional<byte[]> unpadded(String text) {
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static int typeOf(String name) {
        return switch (name) {
            case "argon2i" -> Argon2Parameters.ARGON2_i;
            case "argon2d" -> Argon2Parameters.ARGON2_d;
            default -> Argon2Parameters.ARGON2_id;
        };
    }

    private static String typeName(int type) {
        return type == Argon2Parameters.ARGON2_i ? "argon2i" : "argon2id";
    }
}
