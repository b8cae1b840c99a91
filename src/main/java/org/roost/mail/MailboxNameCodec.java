package org.roost.mail;

import java.util.Base64;

/**
 * Modified UTF-7 for mailbox names (RFC 3501 §5.1.3).
 *
 * <p>Printable US-ASCII except {@code &} stands for itself, {@code &} is {@code &-}, and every
 * other run of characters is UTF-16BE in BASE64 with {@code ,} instead of {@code /}, between
 * {@code &} and {@code -}. {@link #decode} is strict, as the RFC asks servers to be for CREATE:
 * no superfluous shifts, no encoded printable ASCII, no padding bits, whole UTF-16 units,
 * well-formed surrogate pairs.
 */
public final class MailboxNameCodec {

    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final String ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

    private MailboxNameCodec() {
    }

    /** Encodes a Unicode name; refuses unpaired surrogates, which have no UTF-16 encoding. */
    public static String encode(String name) {
        var out = new StringBuilder(name.length() + 8);
        var pending = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (representsItself(c)) {
                flushShifted(pending, out);
                out.append(c == '&' ? "&-" : String.valueOf(c));
            } else {
                pending.append(c);
            }
        }
        flushShifted(pending, out);
        return out.toString();
    }

    /**
     * Decodes a modified UTF-7 name.
     *
     * @throws IllegalArgumentException if the text is not valid modified UTF-7
     */
    public static String decode(String encoded) {
        var out = new StringBuilder(encoded.length());
        int i = 0;
        while (i < encoded.length()) {
            char c = encoded.charAt(i);
            if (c != '&') {
                if (!representsItself(c)) {
                    throw invalid(encoded, "character 0x" + Integer.toHexString(c) + " must be encoded");
                }
                out.append(c);
                i++;
                continue;
            }
            int end = encoded.indexOf('-', i + 1);
            if (end < 0) {
                throw invalid(encoded, "unterminated shift at " + i);
            }
            if (end == i + 1) {
                out.append('&');
            } else {
                out.append(decodeShifted(encoded, i + 1, end));
                if (end + 1 < encoded.length() && encoded.charAt(end + 1) == '&'
                        && !(end + 2 < encoded.length() && encoded.charAt(end + 2) == '-')) {
                    throw invalid(encoded, "superfluous shift at " + (end + 1));
                }
            }
            i = end + 1;
        }
        return out.toString();
    }

    /** True when {@code encoded} is valid modified UTF-7. */
    public static boolean isValid(String encoded) {
        try {
            decode(encoded);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean representsItself(char c) {
        return c >= 0x20 && c <= 0x7e;
    }

    private static void flushShifted(StringBuilder pending, StringBuilder out) {
        if (pending.isEmpty()) {
            return;
        }
        var bytes = new byte[pending.length() * 2];
        for (int i = 0; i < pending.length(); i++) {
            char c = pending.charAt(i);
            checkSurrogate(pending, i, c);
            bytes[2 * i] = (byte) (c >> 8);
            bytes[2 * i + 1] = (byte) c;
        }
        out.append('&').append(BASE64.encodeToString(bytes).replace('/', ',')).append('-');
        pending.setLength(0);
    }

    private static void checkSurrogate(CharSequence s, int i, char c) {
        if (Character.isHighSurrogate(c)
                && (i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1)))) {
            throw new IllegalArgumentException("unpaired high surrogate in mailbox name");
        }
        if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(s.charAt(i - 1)))) {
            throw new IllegalArgumentException("unpaired low surrogate in mailbox name");
        }
    }

    private static String decodeShifted(String encoded, int from, int to) {
        var chars = new StringBuilder();
        int buffer = 0;
        int bits = 0;
        int highByte = -1;
        for (int i = from; i < to; i++) {
            int value = ALPHABET.indexOf(encoded.charAt(i));
            if (value < 0) {
                throw invalid(encoded, "'" + encoded.charAt(i) + "' is not modified BASE64");
            }
            buffer = (buffer << 6) | value;
            bits += 6;
            if (bits >= 8) {
                bits -= 8;
                int octet = (buffer >> bits) & 0xff;
                if (highByte < 0) {
                    highByte = octet;
                } else {
                    chars.append((char) ((highByte << 8) | octet));
                    highByte = -1;
                }
            }
        }
        if (highByte >= 0 || bits >= 6 || (buffer & ((1 << bits) - 1)) != 0) {
            throw invalid(encoded, "BASE64 run does not end on a whole UTF-16 unit");
        }
        for (int i = 0; i < chars.length(); i++) {
            char c = chars.charAt(i);
            if (representsItself(c)) {
                throw invalid(encoded, "printable ASCII encoded in BASE64");
            }
            try {
                checkSurrogate(chars, i, c);
            } catch (IllegalArgumentException e) {
                throw invalid(encoded, e.getMessage());
            }
        }
        return chars.toString();
    }

    private static IllegalArgumentException invalid(String encoded, String why) {
        return new IllegalArgumentException("invalid modified UTF-7 mailbox name \"" + encoded + "\": " + why);
    }
}
