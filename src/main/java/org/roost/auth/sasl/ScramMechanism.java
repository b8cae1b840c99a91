package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Supplier;
import org.roost.auth.password.Passwords;
import org.roost.auth.password.ScramHash;
import org.roost.auth.password.ScramSecret;

/**
 * SCRAM-SHA-1 (RFC 5802) and SCRAM-SHA-256 (RFC 7677) without channel binding ("n" or "y" gs2 flag;
 * the -PLUS variants are not offered). Works from a plaintext or a stored SCRAM secret of the same hash.
 * Unknown users get a decoy salt that is stable per name, so the server-first message does not
 * reveal whether the user exists.
 */
final class ScramMechanism implements SaslMechanism {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 18;

    private final ScramHash hash;
    private final Supplier<String> serverNonce;

    ScramMechanism(ScramHash hash) {
        this(hash, ScramMechanism::randomNonce);
    }

    /** For tests: a fixed server nonce part, e.g. RFC 5802's {@code 3rfcNHYJY1ZVvWVs7j}. */
    ScramMechanism(ScramHash hash, Supplier<String> serverNonce) {
        this.hash = hash;
        this.serverNonce = serverNonce;
    }

    @Override
    public String name() {
        return hash.mechanism();
    }

    @Override
    public boolean sendsPassword() {
        return false;
    }

    @Override
    public boolean usableWith(String storedPassword) {
        return Passwords.plaintext(storedPassword).isPresent()
                || Passwords.schemeOf(storedPassword).equals(hash.mechanism());
    }

    @Override
    public SaslExchange start(CredentialLookup credentials, String serverName) {
        return new Exchange(credentials);
    }

    private static String randomNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return Base64.getEncoder().encodeToString(nonce);
    }

    /** One SCRAM conversation: client-first, client-final, then the client's empty acknowledgement. */
    private final class Exchange extends GuardedExchange {

        private final CredentialLookup credentials;
        private ScramMessages.ClientFirst first;
        private String serverFirst;
        private ScramSecret secret;
        private String unusableDetail;
        private boolean verified;

        Exchange(CredentialLookup credentials) {
            this.credentials = credentials;
        }

        @Override
        SaslStep onBegin(Optional<byte[]> initialResponse) {
            return initialResponse.map(this::clientFirst).orElseGet(() -> new SaslStep.Challenge(new byte[0]));
        }

        @Override
        SaslStep onResponse(byte[] response) {
            if (first == null) {
                return clientFirst(response);
            }
            if (!verified) {
                return clientFinal(response);
            }
            // RFC 4422 section 3.6: the server-final message went out as a challenge; an empty reply ends it.
            return response.length == 0
                    ? new SaslStep.Success(first.user())
                    : Failures.malformed("expected an empty response after the server-final message");
        }

        private SaslStep clientFirst(byte[] message) {
            try {
                first = ScramMessages.clientFirst(message);
            } catch (ScramMessages.Malformed malformed) {
                return Failures.malformed(malformed.getMessage());
            } catch (ScramMessages.ForeignAuthzid foreign) {
                return Failures.authorization(foreign.getMessage());
            }
            Optional<Credential> found = Lookups.credential(credentials, first.user());
            secret = found.flatMap(Lookups::storedValue).flatMap(value -> Passwords.scramSecret(value, hash))
                    .orElse(null);
            if (secret == null) {
                unusableDetail = Lookups.unusableDetail(found, hash.mechanism());
                secret = Decoys.scramSecret(hash, first.user());
            }
            serverFirst = "r=" + first.clientNonce() + serverNonce.get()
                    + ",s=" + Base64.getEncoder().encodeToString(secret.salt()) + ",i=" + secret.iterations();
            return new SaslStep.Challenge(serverFirst.getBytes(StandardCharsets.UTF_8));
        }

        private SaslStep clientFinal(byte[] message) {
            String nonce = serverFirst.substring(2, serverFirst.indexOf(",s="));
            ScramMessages.ClientFinal clientFinal;
            try {
                clientFinal = ScramMessages.clientFinal(message, first.gs2Header(), nonce, hash.length());
            } catch (ScramMessages.Malformed malformed) {
                return Failures.malformed(malformed.getMessage());
            }
            byte[] authMessage = (first.bare() + "," + serverFirst + "," + clientFinal.withoutProof())
                    .getBytes(StandardCharsets.UTF_8);
            boolean proofValid = proofMatches(authMessage, clientFinal.proof());
            if (unusableDetail != null) {
                return Failures.credentials(unusableDetail);
            }
            if (!proofValid) {
                return Failures.credentials("password mismatch");
            }
            verified = true;
            byte[] serverSignature = hash.hmac(secret.serverKey(), authMessage);
            return new SaslStep.Challenge(("v=" + Base64.getEncoder().encodeToString(serverSignature))
                    .getBytes(StandardCharsets.UTF_8));
        }

        /** RFC 5802 section 3: ClientKey = proof XOR HMAC(StoredKey, AuthMessage); H(ClientKey) must be StoredKey. */
        private boolean proofMatches(byte[] authMessage, byte[] proof) {
            byte[] clientKey = hash.hmac(secret.storedKey(), authMessage);
            for (int i = 0; i < clientKey.length; i++) {
                clientKey[i] ^= proof[i];
            }
            return MessageDigest.isEqual(secret.storedKey(), hash.hash(clientKey));
        }
    }
}
