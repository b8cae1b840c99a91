package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * LOGIN (draft-murchison-sasl-login, never an RFC but what many clients still use): the server asks
 * "Username:" and "Password:". A non-empty initial response is taken as the user name.
 */
final class LoginMechanism extends PasswordMechanism {

    private static final byte[] USERNAME = "Username:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASSWORD = "Password:".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_PASSWORD_BYTES = 1024;

    @Override
    public String name() {
        return "LOGIN";
    }

    @Override
    public SaslExchange start(CredentialLookup credentials, String serverName) {
        return new GuardedExchange() {
            private String user;

            @Override
            SaslStep onBegin(Optional<byte[]> initialResponse) {
                if (initialResponse.isEmpty() || initialResponse.get().length == 0) {
                    return new SaslStep.Challenge(USERNAME);
                }
                return acceptUser(initialResponse.get());
            }

            @Override
            SaslStep onResponse(byte[] response) {
                return user == null ? acceptUser(response) : checkPassword(response);
            }

            private SaslStep acceptUser(byte[] response) {
                Optional<String> name = Identities.user(response, 0, response.length);
                if (name.isEmpty()) {
                    return Failures.malformed("LOGIN user name is empty, too long or not UTF-8");
                }
                user = name.get();
                return new SaslStep.Challenge(PASSWORD);
            }

            private SaslStep checkPassword(byte[] password) {
                if (password.length == 0 || password.length > MAX_PASSWORD_BYTES) {
                    return Failures.malformed("LOGIN password is empty or too long");
                }
                return Lookups.checkPassword(credentials, user, password);
            }
        };
    }
}
