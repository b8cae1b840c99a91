package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import org.roost.auth.password.Passwords;

/** RFC 4616: one message {@code [authzid] NUL authcid NUL passwd}. */
final class PlainMechanism implements SaslMechanism {
    @Override
    public String name() {
        return "PLAIN";
    }

    @Override
    public SaslExchange start(CredentialLookup credentials, String serverName) {
        return response -> {
            if (response.length == 0) {
                return new SaslStep.Challenge(new byte[0]);
            }
            var parts = split(response);
            if (parts == null) {
                return new SaslStep.Failure("malformed PLAIN message");
            }
            var authz = parts[0];
            var user = parts[1];
            if (!authz.isEmpty() && !authz.equals(user)) {
                return new SaslStep.Failure("authorization identity differs from authentication identity");
            }
            var password = parts[2].getBytes(StandardCharsets.UTF_8);
            var stored = credentials.storedPassword(user);
            boolean ok = Passwords.verify(stored.orElse(DummyHash.VALUE), password) && stored.isPresent();
            return ok ? new SaslStep.Success(user, null) : new SaslStep.Failure("invalid credentials");
        };
    }

    private static String[] split(byte[] message) {
        int first = indexOf(message, 0);
        int second = first < 0 ? -1 : indexOf(message, first + 1);
        if (second < 0 || indexOf(message, second + 1) >= 0) {
            return null;
        }
        var text = new String(message, StandardCharsets.UTF_8);
        return new String[] {
            text.substring(0, charIndex(text, 0)),
            text.substring(charIndex(text, 0) + 1, charIndex(text, 1)),
            text.substring(charIndex(text, 1) + 1),
        };
    }

    private static int charIndex(String text, int n) {
        int at = -1;
        for (int i = 0; i <= n; i++) {
            at = text.indexOf('\0', at + 1);
        }
        return at;
    }

    private static int indexOf(byte[] data, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == 0) {
                return i;
            }
        }
        return -1;
    }
}
