package org.roost.auth.sasl;

import java.util.Arrays;
import java.util.Optional;

/**
 * PLAIN (RFC 4616): {@code [authzid] NUL authcid NUL passwd}. Acting as another identity is not
 * supported, so a non-empty authzid must equal the authcid.
 */
final class PlainMechanism extends PasswordMechanism {

    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public SaslExchange start(CredentialLookup credentials, String serverName) {
        return new GuardedExchange() {
            @Override
            SaslStep onBegin(Optional<byte[]> initialResponse) {
                // RFC 4616 section 2: the client sends first; without an initial response we ask with "".
                return initialResponse.<SaslStep>map(message -> authenticate(credentials, message))
                        .orElseGet(() -> new SaslStep.Challenge(new byte[0]));
            }

            @Override
            SaslStep onResponse(byte[] response) {
                return authenticate(credentials, response);
            }
        };
    }

    private static SaslStep authenticate(CredentialLookup credentials, byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return Failures.malformed("PLAIN message needs exactly two NUL separators");
        }
        Optional<String> authcid = Identities.user(message, first + 1, second);
        Optional<String> authzid = first == 0 ? Optional.of("") : Identities.user(message, 0, first);
        byte[] password = Arrays.copyOfRange(message, second + 1, message.length);
        if (authcid.isEmpty() || authzid.isEmpty() || password.length == 0
                || Identities.utf8(password, 0, password.length).isEmpty()) {
            return Failures.malformed("PLAIN identity or password is empty or not UTF-8");
        }
        if (!authzid.get().isEmpty() && !authzid.get().equals(authcid.get())) {
            return Failures.authorization("authzid differs from authcid");
        }
        try {
            return Lookups.checkPassword(credentials, authcid.get(), password);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    private static int indexOf(byte[] message, int from) {
        for (int i = from; i < message.length; i++) {
            if (message[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
