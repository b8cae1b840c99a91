package org.roost.auth.sasl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import org.roost.auth.password.CramMd5Secret;
import org.roost.auth.password.Passwords;

/**
 * CRAM-MD5 (RFC 2195): the server sends a unique {@code <random.time@host>} challenge, the client
 * answers {@code user SP hex(HMAC-MD5(password, challenge))}. Needs the plaintext or Dovecot's
 * stored CRAM-MD5 context.
 */
final class CramMd5Mechanism implements SaslMechanism {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int DIGEST_HEX_LENGTH = 32;

    private final Supplier<String> uniquePart;

    CramMd5Mechanism() {
        this(() -> Long.toUnsignedString(RANDOM.nextLong()) + "." + System.currentTimeMillis());
    }

    /** For tests: a fixed unique part, e.g. RFC 2195's {@code 1896.697170952}. */
    CramMd5Mechanism(Supplier<String> uniquePart) {
        this.uniquePart = uniquePart;
    }

    @Override
    public String name() {
        return "CRAM-MD5";
    }

    @Override
    public boolean sendsPassword() {
        return false;
    }

    @Override
    public boolean usableWith(String storedPassword) {
        return Passwords.cramMd5Secret(storedPassword).isPresent();
    }

    @Override
    public SaslExchange start(CredentialLookup credentials, String serverName) {
        byte[] challenge = ("<" + uniquePart.get() + "@" + serverName + ">").getBytes(StandardCharsets.UTF_8);
        return new GuardedExchange() {
            @Override
            SaslStep onBegin(Optional<byte[]> initialResponse) {
                if (initialResponse.isPresent()) {
                    return Failures.malformed("CRAM-MD5 takes no initial response");
                }
                return new SaslStep.Challenge(challenge);
            }

            @Override
            SaslStep onResponse(byte[] response) {
                return verify(credentials, challenge, response);
            }
        };
    }

    private static SaslStep verify(CredentialLookup credentials, byte[] challenge, byte[] response) {
        int space = lastSpace(response);
        if (space < 0 || response.length - space - 1 != DIGEST_HEX_LENGTH) {
            return Failures.malformed("CRAM-MD5 response is not 'user digest'");
        }
        Optional<String> user = Identities.user(response, 0, space);
        Optional<byte[]> digest = hex(new String(response, space + 1, DIGEST_HEX_LENGTH, StandardCharsets.US_ASCII));
        if (user.isEmpty() || digest.isEmpty()) {
            return Failures.malformed("CRAM-MD5 user name or digest is malformed");
        }
        Optional<Credential> found = Lookups.credential(credentials, user.get());
        Optional<CramMd5Secret> secret = found.flatMap(Lookups::storedValue).flatMap(Passwords::cramMd5Secret);
        byte[] expected = secret.orElseGet(Decoys::cramMd5Secret).hmac(challenge);
        if (secret.isEmpty()) {
            return Failures.credentials(Lookups.unusableDetail(found, "CRAM-MD5"));
        }
        return MessageDigest.isEqual(expected, digest.get())
                ? new SaslStep.Success(user.get())
                : Failures.credentials("password mismatch");
    }

    private static int lastSpace(byte[] response) {
        for (int i = response.length - 1; i >= 0; i--) {
            if (response[i] == ' ') {
                return i;
            }
        }
        return -1;
    }

    private static Optional<byte[]> hex(String text) {
        try {
            return Optional.of(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException notHex) {
            return Optional.empty();
        }
    }
}
