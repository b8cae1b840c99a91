package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** Strict parsers for the two SCRAM client messages (RFC 5802 section 7), without channel binding. */
final class ScramMessages {

    /** A client message that breaks the grammar or asks for something we do not offer. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Thrown when the a= authzid names someone else; the answer is an authorization failure. */
    static final class ForeignAuthzid extends Exception {
        ForeignAuthzid() {
            super("authzid differs from the user name", null, false, false);
        }
    }

    /**
     * @param gs2Header the "n,," / "y,," / "n,a=user," prefix, echoed back base64-encoded in c=
     * @param bare      client-first-message-bare, part of the AuthMessage
     */
    record ClientFirst(String gs2Header, String user, String clientNonce, String bare) {
    }

    /** @param withoutProof client-final-message-without-proof, part of the AuthMessage */
    record ClientFinal(String withoutProof, byte[] proof) {
    }

    private static final Pattern PRINTABLE_NONCE = Pattern.compile("[\\x21-\\x2b\\x2d-\\x7e]+");
    private static final Pattern EXTENSION = Pattern.compile("[A-Za-z]=[^,\\x00]+");

    private ScramMessages() {
    }

    static ClientFirst clientFirst(byte[] bytes) throws Malformed, ForeignAuthzid {
        String message = text(bytes);
        if (message.startsWith("p=")) {
            throw new Malformed("channel binding is not supported");
        }
        if (!message.startsWith("n,") && !message.startsWith("y,")) {
            throw new Malformed("gs2 header must start with n, or y,");
        }
        int authzEnd = message.indexOf(',', 2);
        if (authzEnd < 0) {
            throw new Malformed("gs2 header is not terminated");
        }
        String authzField = message.substring(2, authzEnd);
        if (!authzField.isEmpty() && !authzField.startsWith("a=")) {
            throw new Malformed("gs2 header has an unknown field");
        }
        String gs2Header = message.substring(0, authzEnd + 1);
        String bare = message.substring(authzEnd + 1);
        String[] fields = bare.split(",", -1);
        if (fields[0].startsWith("m=")) {
            throw new Malformed("mandatory extension not supported");
        }
        if (fields.length < 2 || !fields[0].startsWith("n=") || !fields[1].startsWith("r=")) {
            throw new Malformed("client-first-message-bare must be n=...,r=...");
        }
        String user = saslName(fields[0].substring(2));
        String nonce = fields[1].substring(2);
        if (!PRINTABLE_NONCE.matcher(nonce).matches()) {
            throw new Malformed("client nonce is empty or not printable");
        }
        checkExtensions(fields, 2, fields.length);
        if (!authzField.isEmpty() && !saslName(authzField.substring(2)).equals(user)) {
            throw new ForeignAuthzid();
        }
        return new ClientFirst(gs2Header, user, nonce, bare);
    }

    static ClientFinal clientFinal(byte[] bytes, String gs2Header, String nonce, int proofLength) throws Malformed {
        String message = text(bytes);
        String[] fields = message.split(",", -1);
        if (fields.length < 3 || !fields[0].startsWith("c=") || !fields[1].startsWith("r=")
                || !fields[fields.length - 1].startsWith("p=")) {
            throw new Malformed("client-final-message must be c=...,r=...,p=...");
        }
        Optional<byte[]> binding = base64(fields[0].substring(2));
        if (binding.isEmpty() || !gs2Header.equals(new String(binding.get(), StandardCharsets.UTF_8))) {
            throw new Malformed("channel binding data does not repeat the gs2 header");
        }
        if (!fields[1].substring(2).equals(nonce)) {
            throw new Malformed("nonce does not match");
        }
        checkExtensions(fields, 2, fields.length - 1);
        byte[] proof = base64(fields[fields.length - 1].substring(2))
                .filter(decoded -> decoded.length == proofLength)
                .orElseThrow(() -> new Malformed("client proof is not base64 of the hash length"));
        return new ClientFinal(message.substring(0, message.lastIndexOf(",p=")), proof);
    }

    private static String text(byte[] bytes) throws Malformed {
        String message = Identities.utf8(bytes, 0, bytes.length)
                .orElseThrow(() -> new Malformed("message is not UTF-8"));
        if (message.indexOf('\0') >= 0) {
            throw new Malformed("message contains NUL");
        }
        return message;
    }

    /** RFC 5802 section 5.1: the user name as a saslname. */
    private static String saslName(String encoded) throws Malformed {
        return Identities.saslName(encoded)
                .orElseThrow(() -> new Malformed("user name is empty, too long, has control characters or a bad '=' escape"));
    }

    private static void checkExtensions(String[] fields, int from, int to) throws Malformed {
        for (int i = from; i < to; i++) {
            if (!EXTENSION.matcher(fields[i]).matches()) {
                throw new Malformed("malformed attribute");
            }
        }
    }

    private static Optional<byte[]> base64(String text) {
        try {
            return Optional.of(Base64.getDecoder().decode(text));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }
}
