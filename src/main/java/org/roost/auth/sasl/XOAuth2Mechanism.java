package org.roost.auth.sasl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * XOAUTH2, the format Gmail and Microsoft 365 defined before RFC 7628 and many clients still send:
 * {@code user=<name> ^A auth=Bearer <token> ^A ^A}. On a rejected token the server sends
 * {@code {"status":"401","schemes":"bearer",...}} and the client answers with an empty response.
 */
final class XOAuth2Mechanism extends BearerMechanism {

    @Override
    public String name() {
        return "XOAUTH2";
    }

    @Override
    Request parse(String message) throws Malformed {
        var pairs = pairs(message);
        var user = Optional.ofNullable(pairs.get("user")).filter(Identities::acceptable)
                .orElseThrow(() -> new Malformed("XOAUTH2 needs user=<name>"));
        return new Request(bearerToken(pairs.get("auth")), Optional.of(user));
    }

    @Override
    Map<String, String> error(TokenCheck.Rejected rejected) {
        var document = new LinkedHashMap<String, String>();
        document.put("status", "401");
        document.put("schemes", "bearer");
        rejected.scope().ifPresent(scope -> document.put("scope", scope));
        return document;
    }

    @Override
    boolean acknowledges(byte[] response) {
        return response.length == 0;
    }
}
