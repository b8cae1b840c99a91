package org.roost.auth.password;

import java.util.Arrays;
import org.bouncycastle.crypto.digests.MD5Digest;

/**
 * The secret CRAM-MD5 needs: the two MD5 chaining states an HMAC-MD5 keyed with the password
 * reaches after its inner and outer pad blocks. Dovecot stores exactly these as
 * {@code {CRAM-MD5}}: 32 bytes, outer state first, each of the four state words little-endian
 * (hmac_md5_get_cram_context()). Holding the states lets us answer a challenge without the password.
 */
public final class CramMd5Secret {

    static final int CONTEXT_BYTES = 32;
    private static final int BLOCK = 64;
    /** Where MD5Digest.getEncodedState() keeps H1..H4 (big-endian), after xBuf, xBufOff and byteCount. */
    private static final int STATE_OFFSET = 16;
    private static final byte[] STATE_TEMPLATE = stateAfterOneBlock();

    private final byte[] context;

    private CramMd5Secret(byte[] context) {
        this.context = context;
    }

    /** The secret for a plaintext password (what doveadm pw -s CRAM-MD5 stores). */
    public static CramMd5Secret fromPassword(byte[] password) {
        byte[] key = password.length > BLOCK ? md5(password) : password;
        byte[] inner = padBlock(key, (byte) 0x36);
        byte[] outer = padBlock(key, (byte) 0x5c);
        byte[] context = new byte[CONTEXT_BYTES];
        writeState(stateAfter(outer), context, 0);
        writeState(stateAfter(inner), context, CONTEXT_BYTES / 2);
        return new CramMd5Secret(context);
    }

    static CramMd5Secret fromContext(byte[] context) {
        if (context.length != CONTEXT_BYTES) {
            throw new IllegalArgumentException("CRAM-MD5 context must be 32 bytes");
        }
        return new CramMd5Secret(context.clone());
    }

    /** HMAC-MD5(password, challenge), the 16 bytes a CRAM-MD5 client sends in hex (RFC 2195). */
    public byte[] hmac(byte[] challenge) {
        MD5Digest inner = restore(CONTEXT_BYTES / 2);
        inner.update(challenge, 0, challenge.length);
        byte[] innerHash = new byte[inner.getDigestSize()];
        inner.doFinal(innerHash, 0);
        MD5Digest outer = restore(0);
        outer.update(innerHash, 0, innerHash.length);
        byte[] mac = new byte[outer.getDigestSize()];
        outer.doFinal(mac, 0);
        return mac;
    }

    byte[] context() {
        return context.clone();
    }

    private MD5Digest restore(int contextOffset) {
        byte[] state = STATE_TEMPLATE.clone();
        for (int word = 0; word < 4; word++) {
            for (int i = 0; i < 4; i++) {
                state[STATE_OFFSET + word * 4 + i] = context[contextOffset + word * 4 + 3 - i];
            }
        }
        return new MD5Digest(state);
    }

    private static byte[] stateAfter(byte[] block) {
        var digest = new MD5Digest();
        digest.update(block, 0, block.length);
        return digest.getEncodedState();
    }

    /** Copies H1..H4 from an encoded state (big-endian) into the context (little-endian). */
    private static void writeState(byte[] encodedState, byte[] context, int contextOffset) {
        for (int word = 0; word < 4; word++) {
            for (int i = 0; i < 4; i++) {
                context[contextOffset + word * 4 + i] = encodedState[STATE_OFFSET + word * 4 + 3 - i];
            }
        }
    }

    private static byte[] padBlock(byte[] key, byte pad) {
        byte[] block = Arrays.copyOf(key, BLOCK);
        for (int i = 0; i < BLOCK; i++) {
            block[i] ^= pad;
        }
        return block;
    }

    private static byte[] stateAfterOneBlock() {
        return stateAfter(new byte[BLOCK]);
    }

    private static byte[] md5(byte[] data) {
        return Digests.digest("MD5", data);
    }
}
