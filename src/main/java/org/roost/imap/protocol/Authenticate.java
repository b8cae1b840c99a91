package org.roost.imap.protocol;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.roost.net.ProtocolViolation;

/**
 * AUTHENTICATE (RFC 3501 §6.2.2) with an optional SASL-IR initial response (RFC 4959):
 * {@code "AUTHENTICATE" SP auth-type [SP (base64 / "=")]}.
 */
public record Authenticate(String tag, String mechanism, Optional<byte[]> initialResponse) implements Command {
    public static final Syntax<Authenticate> SYNTAX = Authenticate::parse;

    @Override
    public String name() {
        return "AUTHENTICATE";
    }

    private static Authenticate parse(String tag, Arguments in) throws IOException, ProtocolViolation, ImapParseException {
        in.space();
        var reader = in.reader();
        var mechanism = reader.atom().toUpperCase(Locale.ROOT);
        Optional<byte[]> initial = Optional.empty();
        if (reader.peek() == ' ') {
            reader.space();
            initial = Optional.of(response(reader.chars(c -> c > ' ' && c < 0x7f, "an initial response")));
        }
        return new Authenticate(tag, mechanism, initial);
    }

    /** A client's SASL response, base64; "=" is the empty response (RFC 4959). */
    public static byte[] response(String text) throws ImapParseException {
        if (text.equals("=")) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new ImapParseException("Invalid base64");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Authenticate a && tag.equals(a.tag) && mechanism.equals(a.mechanism)
                && initialResponse.isPresent() == a.initialResponse.isPresent()
                && Arrays.equals(initialResponse.orElse(null), a.initialResponse.orElse(null));
    }

    @Override
    public int hashCode() {
        return Objects.hash(tag, mechanism, initialResponse.map(Arrays::hashCode).orElse(0));
    }
}
