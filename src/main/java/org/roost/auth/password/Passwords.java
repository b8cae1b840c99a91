package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.codec.digest.Crypt;
import org.apache.commons.codec.digest.Sha2Crypt;

/** Stored passwords in Dovecot's {@code {SCHEME}data} notation. */
public final class Passwords {
    private Passwords() {}

    public static Set<String> schemes() {
        return Set.of("PLAIN", "CLEAR", "SHA512-CRYPT", "CRYPT");
    }

    public static boolean verify(String stored, byte[] password) {
        var scheme = scheme(stored);
        var data = data(stored);
        return switch (scheme) {
            case "PLAIN", "CLEAR" -> MessageDigest.isEqual(data.getBytes(StandardCharsets.UTF_8), password);
            case "SHA512-CRYPT", "CRYPT" -> cryptMatches(data, password);
            default -> false;
        };
    }

    private static boolean cryptMatches(String hash, byte[] password) {
        try {
            var computed = Crypt.crypt(password, hash);
            return MessageDigest.isEqual(computed.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static String hash(String scheme, byte[] password) {
        return switch (scheme.toUpperCase(Locale.ROOT)) {
            case "SHA512-CRYPT" -> "{SHA512-CRYPT}" + Sha2Crypt.sha512Crypt(password);
            case "PLAIN" -> "{PLAIN}" + new String(password, StandardCharsets.UTF_8);
            default -> throw new IllegalArgumentException("unknown scheme " + scheme);
        };
    }

    public static Optional<byte[]> plaintext(String stored) {
        var scheme = scheme(stored);
        return scheme.equals("PLAIN") || scheme.equals("CLEAR")
                ? Optional.of(data(stored).getBytes(StandardCharsets.UTF_8)) : Optional.empty();
    }

    private static String scheme(String stored) {
        if (stored.startsWith("{")) {
            int end = stored.indexOf('}');
            if (end > 0) {
                return stored.substring(1, end).toUpperCase(Locale.ROOT);
            }
        }
        return "CRYPT";
    }

    private static String data(String stored) {
        int end = stored.startsWith("{") ? stored.indexOf('}') : -1;
        return end > 0 ? stored.substring(end + 1) : stored;
    }
}
