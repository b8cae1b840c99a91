package org.roost.auth.password;

import java.util.function.Supplier;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA1Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.PKCS5S2ParametersGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;

/** The hash functions SCRAM is defined for here (RFC 5802 SHA-1, RFC 7677 SHA-256) and their primitives. */
public enum ScramHash {
    SHA_1("SCRAM-SHA-1", SHA1Digest::new),
    SHA_256("SCRAM-SHA-256", SHA256Digest::new);

    private final String mechanism;
    private final Supplier<Digest> digests;

    ScramHash(String mechanism, Supplier<Digest> digests) {
        this.mechanism = mechanism;
        this.digests = digests;
    }

    /** The SASL mechanism name, which is also Dovecot's scheme name. */
    public String mechanism() {
        return mechanism;
    }

    public int length() {
        return digests.get().getDigestSize();
    }

    public byte[] hash(byte[] data) {
        Digest digest = digests.get();
        digest.update(data, 0, data.length);
        byte[] out = new byte[digest.getDigestSize()];
        digest.doFinal(out, 0);
        return out;
    }

    public byte[] hmac(byte[] key, byte[] data) {
        var mac = new HMac(digests.get());
        mac.init(new KeyParameter(key));
        mac.update(data, 0, data.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return out;
    }

    /** Hi() of RFC 5802 section 2.2, which is PBKDF2 with HMAC of this hash and one block of output. */
    public byte[] saltedPassword(byte[] password, byte[] salt, int iterations) {
        var generator = new PKCS5S2ParametersGenerator(digests.get());
        generator.init(password.clone(), salt.clone(), iterations);
        return ((KeyParameter) generator.generateDerivedParameters(length() * 8)).getKey();
    }
}
