package org.roost.auth.sasl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * OAUTHBEARER (RFC 7628): {@code gs2-header ^A auth=Bearer <token> ^A [host=... ^A port=... ^A] ^A}. The gs2
 * header may name the user ({@code n,a=user,}); channel binding ({@code p=}) is not offered. On a rejected token
 * the server sends {@code {"status":"invalid_token",...}} and the client answers a single ^A.
 */
final class OAuthBearerMechanism extends BearerMechanism {
    /** RFC 5801 gs2-header without channel binding: flag, optional authzid, each followed by a comma. */
    private static final Pattern GS2_HEADER = Pattern.compile("[ny],(a=[^,]*)?,");

    @Override
    public String name() {
        return "OAUTHBEARER";
    }

    @Override
    Request parse(String message) throws Malformed {
        int separator = message.indexOf('\u0001');
        if (separator <= 0) {
            throw new Malformed("OAUTHBEARER message has no gs2 header");
        }
        var header = message.substring(0, separator);
        if (header.startsWith("p=")) {
            throw new Malformed("channel binding is not supported");
        }
        if (!GS2_HEADER.matcher(header).matches()) {
            throw new Malformed("malformed gs2 header");
        }
        Optional<String> authzid = Optional.empty();
        if (header.length() > 3) {
            authzid = Optional.of(Identities.saslName(header.substring(4, header.length() - 1))
                    .orElseThrow(() -> new Malformed("malformed authzid in the gs2 header")));
        }
        var pairs = pairs(message.substring(separator + 1));
        return new Request(bearerToken(pairs.get("auth")), authzid);
    }

    @Override
    Map<String, String> error(TokenCheck.Rejected rejected) {
        var document = new LinkedHashMap<String, String>();
        document.put("status", "invalid_token");
        rejected.scope().ifPresent(scope -> document.put("scope", scope));
        rejected.openidConfiguration().ifPresent(url -> document.put("openid-configuration", url));
        return document;
    }

    @Override
    boolean acknowledges(byte[] response) {
        return response.length == 1 && response[0] == 1;
    }
}
