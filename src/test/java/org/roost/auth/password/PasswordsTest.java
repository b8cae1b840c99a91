package org.roost.auth.password;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordsTest {

    private static final byte[] PENCIL = "pencil".getBytes(StandardCharsets.UTF_8);

    static Iterable<String> schemes() {
        return Passwords.schemes();
    }

    @ParameterizedTest
    @MethodSource("schemes")
    void hashRoundTripsWithFreshSalt(String scheme) {
        String first = Passwords.hash(scheme, PENCIL);
        assertTrue(first.startsWith("{" + scheme + "}"), first);
        assertTrue(Passwords.verify(first, PENCIL), first);
        assertFalse(Passwords.verify(first, "pencil2".getBytes(StandardCharsets.UTF_8)), first);
    }

    @ParameterizedTest
    @ValueSource(strings = {"SSHA", "SSHA512", "SHA512-CRYPT", "BLF-CRYPT", "PBKDF2", "SCRAM-SHA-256", "ARGON2ID"})
    void saltedSchemesNeverRepeat(String scheme) {
        assertNotEquals(Passwords.hash(scheme, PENCIL), Passwords.hash(scheme, PENCIL));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SHA256.HEX", "ssha.b64", "PLAIN.BASE64", "SSHA512.hex"})
    void encodingSuffixIsWrittenLikeDoveadm(String scheme) {
        String hash = Passwords.hash(scheme, PENCIL);
        String upper = scheme.toUpperCase().replace(".BASE64", ".B64");
        assertTrue(hash.startsWith("{" + upper + "}"), hash);
        assertTrue(Passwords.verify(hash, PENCIL));
    }

    @Test
    void unknownSchemeIsAMismatchWithAReason() {
        Verification result = Passwords.check("{NOPE}pencil", PENCIL);
        assertFalse(result.matches());
        assertEquals("unknown password scheme NOPE", result.reason());
        assertFalse(Passwords.verify("{SHA.ROT13}abc", PENCIL));
        assertThrows(IllegalArgumentException.class, () -> Passwords.hash("NOPE", PENCIL));
        assertThrows(IllegalArgumentException.class, () -> Passwords.hash("SHA.ROT13", PENCIL));
        assertFalse(Passwords.supports("SHA.ROT13"));
        assertTrue(Passwords.supports("sha.hex"));
    }

    /** Plain SHA accepts hex without a suffix when the length says so (Dovecot's password_decode guess). */
    @Test
    void fixedLengthDigestAcceptsHexOrBase64WithoutSuffix() {
        byte[] sha1 = Digests.digest("SHA-1", PENCIL);
        assertTrue(Passwords.verify("{SHA}" + HexFormat.of().formatHex(sha1), PENCIL));
        assertTrue(Passwords.verify("{SHA}" + Base64.getEncoder().encodeToString(sha1), PENCIL));
        assertFalse(Passwords.verify("{SHA}" + Base64.getEncoder().encodeToString(new byte[19]), PENCIL));
    }

    @Test
    void bareValuesFollowDovecotDefaults() {
        assertEquals("MD5-CRYPT", Passwords.schemeOf("$1$abc$def"));
        assertEquals("CRYPT", Passwords.schemeOf("$6$abc$def"));
        assertEquals("CRYPT", Passwords.schemeOf("pencil"));
        assertFalse(Passwords.verify("pencil", PENCIL), "a bare word is a (bad) crypt string, not PLAIN");
        assertEquals("unsupported crypt format", Passwords.check("$y$j9T$abc", PENCIL).reason());
    }

    @Test
    void plaintextOnlyForClearSchemes() {
        assertArrayEquals(PENCIL, Passwords.plaintext("{PLAIN}pencil").orElseThrow());
        assertArrayEquals(PENCIL, Passwords.plaintext("{clear}pencil").orElseThrow());
        assertArrayEquals(PENCIL, Passwords.plaintext("{PLAIN.B64}cGVuY2ls").orElseThrow());
        assertTrue(Passwords.plaintext("{SHA}" + Base64.getEncoder().encodeToString(new byte[20])).isEmpty());
        assertTrue(Passwords.plaintext("pencil").isEmpty());
    }

    /** RFC 2195 section 2: tim / tanstaaftanstaaf answers the example challenge with b913a6... */
    @Test
    void cramMd5SecretMatchesRfc2195FromPlainAndFromStoredContext() {
        byte[] challenge = "<1896.697170952@postoffice.reston.mci.net>".getBytes(StandardCharsets.US_ASCII);
        String expected = "b913a602c7eda7a495b4e6e7334d3890";
        byte[] password = "tanstaaftanstaaf".getBytes(StandardCharsets.US_ASCII);
        var fromPlain = Passwords.cramMd5Secret("{PLAIN}tanstaaftanstaaf").orElseThrow();
        var fromContext = Passwords.cramMd5Secret(Passwords.hash("CRAM-MD5", password)).orElseThrow();
        assertEquals(expected, HexFormat.of().formatHex(fromPlain.hmac(challenge)));
        assertEquals(expected, HexFormat.of().formatHex(fromContext.hmac(challenge)));
        assertTrue(Passwords.cramMd5Secret("{SSHA}" + Base64.getEncoder().encodeToString(new byte[24])).isEmpty());
    }

    @Test
    void cramMd5SecretEqualsJdkHmacForLongKeys() throws Exception {
        byte[] key = new byte[100];
        new Random(7).nextBytes(key);
        byte[] data = "challenge".getBytes(StandardCharsets.US_ASCII);
        var mac = javax.crypto.Mac.getInstance("HmacMD5");
        mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacMD5"));
        assertArrayEquals(mac.doFinal(data), CramMd5Secret.fromPassword(key).hmac(data));
    }

    /** RFC 5802 section 5 (SHA-1) and RFC 7677 section 3 (SHA-256): user/pencil with the example salts. */
    @Test
    void scramSecretsFromRfcExamples() {
        var sha1 = ScramSecret.derive(ScramHash.SHA_1, PENCIL, Base64.getDecoder().decode("QSXCR+Q6sek8bf92"), 4096);
        var sha256 = ScramSecret.derive(ScramHash.SHA_256, PENCIL,
                Base64.getDecoder().decode("W22ZaJ0SNY7soEsUEjb6gQ=="), 4096);
        String sha1Stored = "{SCRAM-SHA-1}" + sha1.format();
        assertTrue(Passwords.verify(sha1Stored, PENCIL));
        assertTrue(Passwords.verify("{SCRAM-SHA-256}" + sha256.format(), PENCIL));
        assertEquals(sha1, Passwords.scramSecret(sha1Stored, ScramHash.SHA_1).orElseThrow());
        assertTrue(Passwords.scramSecret(sha1Stored, ScramHash.SHA_256).isEmpty());
        var fromPlain = Passwords.scramSecret("{PLAIN}pencil", ScramHash.SHA_256).orElseThrow();
        assertEquals(4096, fromPlain.iterations());
        assertTrue(Passwords.verify("{SCRAM-SHA-256}" + fromPlain.format(), PENCIL));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{SCRAM-SHA-1}4095,QSXCR+Q6sek8bf92,AAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "{SCRAM-SHA-1}99999999999,QSXCR+Q6sek8bf92,AAAAAAAAAAAAAAAAAAAAAAAAAAA=,AAAAAAAAAAAAAAAAAAAAAAAAAAA=",
        "{SCRAM-SHA-1}4096,QSXCR+Q6sek8bf92,AAAA,AAAA",
        "{SCRAM-SHA-1}4096,QSXCR+Q6sek8bf92",
        "{PBKDF2}$1$salt$999999999$0000000000000000000000000000000000000000",
        "{PBKDF2}$1$salt$5000$00",
        "{SHA512-CRYPT}$6$rounds=999999999$salt$hash",
        "{ARGON2ID}$argon2id$v=19$m=4194304,t=3,p=1$QFYT2pSJwsKgJLhSelBljg$5jVuMZTDl/08G9j+JslAOwE8HF0Df0tGqsb/jR+sG8Q",
        "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$$5jVuMZTDl",
        "{ARGON2I}$argon2i$v=42$m=64,t=1,p=1$QFYT2pSJwsKgJLhSelBljg$5jVuMZTDl/08G9j+JslAOw",
        "{BLF-CRYPT}$2y$99$nenxwsCuRsmMicFK.bk60udjLdc1agdBDOOhypeL/37NC5jZTpWIi",
        "{BLF-CRYPT}$2y$31$nenxwsCuRsmMicFK.bk60udjLdc1agdBDOOhypeL/37NC5jZTpWIi",
        "{ARGON2ID}$argon2id$v=19$m=1048576,t=3,p=1$QFYT2pSJwsKgJLhSelBljg$5jVuMZTDl/08G9j+JslAOwE8HF0Df0tGqsb/jR+sG8Q",
        "{MD5-CRYPT}$1$",
        "{SSHA}AAAA",
        "{CRAM-MD5}zz",
        "{CRYPT}",
        "{DES-CRYPT}!!",
        "{"})
    void malformedOrTooCostlyValuesAreRefusedWithoutThrowing(String stored) {
        Verification result = Passwords.check(stored, PENCIL);
        assertFalse(result.matches());
        assertNotEquals("ok", result.reason());
    }

    /** Seeded garbage after every scheme prefix: a mismatch every time, never an exception. */
    @Test
    void randomStoredValuesNeverThrow() {
        var random = new Random(20261128L);
        String alphabet = "$./,=+0123456789abcdefABCDEFmptv{}";
        for (String scheme : Passwords.schemes()) {
            for (int i = 0; i < 200; i++) {
                var data = new StringBuilder();
                int length = random.nextInt(80);
                for (int j = 0; j < length; j++) {
                    data.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
                String stored = "{" + scheme + "}" + data;
                assertFalse(Passwords.verify(stored, PENCIL), stored);
            }
        }
    }
}
