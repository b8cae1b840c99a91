package org.roost.auth.password;

import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** How a scheme's raw bytes are written after the {@code {SCHEME}} prefix (Dovecot's ".B64"/".HEX" suffixes). */
enum Encoding {
    /** The stored text is the raw value itself (crypt strings, PLAIN, PBKDF2, SCRAM). */
    NONE,
    BASE64,
    HEX;

    /** The encoding named by a scheme suffix, as Dovecot accepts it: "b64", "base64" or "hex", any case. */
    static Optional<Encoding> fromSuffix(String suffix) {
        return switch (suffix.toLowerCase(Locale.ROOT)) {
            case "b64", "base64" -> Optional.of(BASE64);
            case "hex" -> Optional.of(HEX);
            default -> Optional.empty();
        };
    }

    /** The suffix {@code doveadm pw} writes for an explicitly requested encoding. */
    String suffix() {
        return switch (this) {
            case NONE -> "";
            case BASE64 -> ".B64";
            case HEX -> ".HEX";
        };
    }

    String encode(byte[] raw) {
        return switch (this) {
            case NONE -> new String(raw, java.nio.charset.StandardCharsets.UTF_8);
            case BASE64 -> Base64.getEncoder().encodeToString(raw);
            case HEX -> HexFormat.of().formatHex(raw);
        };
    }

    /** Decodes strictly; empty when the text is not valid in this encoding. */
    Optional<byte[]> decode(String text) {
        try {
            return Optional.of(switch (this) {
                case NONE -> text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                case BASE64 -> Base64.getDecoder().decode(text);
                case HEX -> HexFormat.of().parseHex(text);
            });
        } catch (IllegalArgumentException notEncoded) {
            return Optional.empty();
        }
    }
}
