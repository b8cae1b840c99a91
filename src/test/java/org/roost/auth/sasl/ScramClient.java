package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.roost.auth.password.ScramHash;

/** A minimal SCRAM client (RFC 5802 section 3) to drive the server in tests. */
final class ScramClient {

    private final ScramHash hash;
    private final String gs2Header;
    private final String bare;
    private final byte[] password;
    private String expectedServerFinal;

    ScramClient(ScramHash hash, String gs2Header, String encodedUser, byte[] password) {
        this.hash = hash;
        this.gs2Header = gs2Header;
        this.bare = "n=" + encodedUser + ",r=clientNonce42";
        this.password = password;
    }

    byte[] first() {
        return (gs2Header + bare).getBytes(StandardCharsets.UTF_8);
    }

    byte[] fin(String serverFirst) {
        String[] fields = serverFirst.split(",");
        String nonce = fields[0].substring(2);
        byte[] salt = Base64.getDecoder().decode(fields[1].substring(2));
        int iterations = Integer.parseInt(fields[2].substring(2));
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        byte[] authMessage = (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] salted = hash.saltedPassword(password, salt, iterations);
        byte[] clientKey = hash.hmac(salted, "Client Key".getBytes(StandardCharsets.US_ASCII));
        byte[] signature = hash.hmac(hash.hash(clientKey), authMessage);
        byte[] proof = clientKey.clone();
        for (int i = 0; i < proof.length; i++) {
            proof[i] ^= signature[i];
        }
        byte[] serverKey = hash.hmac(salted, "Server Key".getBytes(StandardCharsets.US_ASCII));
        expectedServerFinal = "v=" + Base64.getEncoder().encodeToString(hash.hmac(serverKey, authMessage));
        return (withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)).getBytes(StandardCharsets.UTF_8);
    }

    String expectedServerFinal() {
        return expectedServerFinal;
    }
}
