package org.roost.auth.sasl;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** Strict decoding of user names sent by clients. */
final class Identities {

    /** RFC 4616 requires accepting up to 255 octets; longer names are refused rather than looked up. */
    static final int MAX_IDENTITY_BYTES = 255;

    private Identities() {
    }

    /** UTF-8 text, 1..255 bytes, without control characters; empty otherwise. */
    static Optional<String> user(byte[] bytes, int from, int to) {
        if (to <= from || to - from > MAX_IDENTITY_BYTES) {
            return Optional.empty();
        }
        return utf8(bytes, from, to).filter(Identities::printable);
    }

    static Optional<String> utf8(byte[] bytes, int from, int to) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, from, to - from)).toString());
        } catch (CharacterCodingException notUtf8) {
            return Optional.empty();
        }
    }

    /** A decoded name within the size bound and without control characters. */
    static boolean acceptable(String name) {
        return !name.isEmpty() && printable(name)
                && name.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTITY_BYTES;
    }

    /** Decodes an RFC 5801 saslname: "=2C" is ',' and "=3D" is '='; any other '=' makes it invalid. */
    static Optional<String> saslName(String encoded) {
        var name = new StringBuilder(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c != '=') {
                name.append(c);
            } else if (encoded.startsWith("2C", i + 1)) {
                name.append(',');
                i += 2;
            } else if (encoded.startsWith("3D", i + 1)) {
                name.append('=');
                i += 2;
            } else {
                return Optional.empty();
            }
        }
        return Optional.of(name.toString()).filter(Identities::acceptable);
    }

    static boolean printable(String name) {
        return name.codePoints().noneMatch(c -> c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0));
    }
}
