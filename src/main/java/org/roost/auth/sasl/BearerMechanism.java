package org.roost.auth.sasl;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The two OAuth 2.0 mechanisms: the client sends a bearer token instead of a password (so they are offered only
 * where passwords may be sent). A valid token succeeds at once; a rejected one gets a JSON error as a challenge,
 * which the client acknowledges before the exchange fails (RFC 7628 section 3.2.3), so it can fetch a new token.
 */
abstract sealed class BearerMechanism implements SaslMechanism permits OAuthBearerMechanism, XOAuth2Mechanism {
    /** RFC 6750 section 2.1: b64token. */
    private static final Pattern B64TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What a client message says: the token and the user it claims the token is for. */
    record Request(String token, Optional<String> claimedUser) {}

    /** A message that breaks the mechanism's syntax. */
    static final class Malformed extends Exception {
        Malformed(String reason) {
            super(reason, null, false, false);
        }
    }

    abstract Request parse(String message) throws Malformed;

    /** The JSON error document for a rejected token. */
    abstract Map<String, String> error(TokenCheck.Rejected rejected);

    /** Whether the client's acknowledgement of the error has the form the mechanism prescribes. */
    abstract boolean acknowledges(byte[] response);

    @Override
    public final boolean sendsPassword() {
        return true;
    }

    @Override
    public final boolean usableWith(String storedPassword) {
        return false;
    }

    @Override
    public final SaslExchange start(CredentialLookup credentials, String serverName) {
        return new GuardedExchange() {
            private String rejection;

            @Override
            SaslStep onBegin(Optional<byte[]> initialResponse) {
                return initialResponse.map(this::request).orElseGet(() -> new SaslStep.Challenge(new byte[0]));
            }

            @Override
            SaslStep onResponse(byte[] response) {
                if (rejection == null) {
                    return request(response);
                }
                return acknowledges(response) ? Failures.credentials(rejection)
                        : Failures.malformed("the client did not acknowledge the token error");
            }

            private SaslStep request(byte[] message) {
                Request request;
                try {
                    request = parse(Identities.utf8(message, 0, message.length)
                            .orElseThrow(() -> new Malformed("message is not UTF-8")));
                } catch (Malformed malformed) {
                    return Failures.malformed(malformed.getMessage());
                }
                return switch (Lookups.bearerToken(credentials, request.token(), request.claimedUser())) {
                    case TokenCheck.Valid valid -> new SaslStep.Success(valid.user());
                    case TokenCheck.Rejected rejected -> {
                        rejection = "token rejected: " + rejected.detail();
                        yield new SaslStep.Challenge(json(error(rejected)));
                    }
                };
            }
        };
    }

    /** The token of an {@code auth=Bearer <token>} value (the scheme name is case-insensitive). */
    static String bearerToken(String auth) throws Malformed {
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Malformed("auth is not 'Bearer <token>'");
        }
        var token = auth.substring(7).strip();
        if (!B64TOKEN.matcher(token).matches()) {
            throw new Malformed("the bearer token has characters RFC 6750 does not allow");
        }
        return token;
    }

    /** {@code key=value} pairs separated by ^A and ended by an empty one; keys are lower-cased, the first wins. */
    static Map<String, String> pairs(String text) throws Malformed {
        if (!text.endsWith("\u0001\u0001")) {
            throw new Malformed("the key/value list does not end with two ^A");
        }
        var out = new LinkedHashMap<String, String>();
        for (var pair : text.substring(0, text.length() - 2).split("\u0001", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0 || !pair.substring(0, eq).chars().allMatch(Character::isLetter)) {
                throw new Malformed("a key/value pair is not key=value");
            }
            out.putIfAbsent(pair.substring(0, eq).toLowerCase(Locale.ROOT), pair.substring(eq + 1));
        }
        return out;
    }

    private static byte[] json(Map<String, String> document) {
        try {
            return JSON.writeValueAsString(document).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
