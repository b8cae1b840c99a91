package org.roost.auth.password;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Dovecot-compatible password schemes in {@code {SCHEME}data} notation, as found in a passwd-file.
 * A value without braces is MD5-CRYPT when it starts with {@code $1$}, else CRYPT (Dovecot's
 * default_pass_scheme for passwd-file), which recognises every crypt(3) format by its prefix.
 * Verification never throws: unknown schemes and malformed values simply do not match.
 */
public final class Passwords {

    private static final Set<String> PLAINTEXT_SCHEMES = Set.of("PLAIN", "CLEAR", "CLEARTEXT");
    private static final Set<String> CRAM_SCHEMES = Set.of("CRAM-MD5", "HMAC-MD5");

    private Passwords() {
    }

    /** True when {@code password} matches the stored value. */
    public static boolean verify(String stored, byte[] password) {
        return check(stored, password).matches();
    }

    /** Like {@link #verify} but says why a value did not match (for logs; never includes the password). */
    public static Verification check(String stored, byte[] password) {
        StoredPassword parsed = StoredPassword.parse(stored);
        Optional<PasswordScheme> scheme = Schemes.byName(parsed.scheme());
        if (scheme.isEmpty()) {
            return Verification.invalid("unknown password scheme " + printable(parsed.scheme()));
        }
        Optional<byte[]> raw = RawValues.decode(scheme.get(), parsed.suffix(), parsed.data());
        if (raw.isEmpty()) {
            return Verification.invalid("malformed " + scheme.get().name() + " value");
        }
        try {
            return scheme.get().verify(raw.get(), password);
        } catch (RuntimeException malformed) {
            // Library parsers reject some damaged values by throwing; a login must not.
            return Verification.invalid("malformed " + scheme.get().name() + " value");
        }
    }

    /**
     * A new {@code {SCHEME}value} for the password with a fresh salt, as {@code doveadm pw -s scheme}
     * prints it. The scheme may carry an encoding suffix ({@code SHA256.HEX}, {@code SSHA.B64}).
     *
     * @throws IllegalArgumentException for an unknown scheme or encoding suffix
     */
    public static String hash(String scheme, byte[] password) {
        StoredPassword name = StoredPassword.parse("{" + scheme + "}");
        PasswordScheme found = Schemes.byName(name.scheme())
                .orElseThrow(() -> new IllegalArgumentException("unknown password scheme " + printable(scheme)));
        Encoding encoding = encodingFor(found, name)
                .orElseThrow(() -> new IllegalArgumentException("unknown encoding " + printable(scheme)));
        String prefix = "{" + found.name() + (name.hasSuffix() ? encoding.suffix() : "") + "}";
        return prefix + encoding.encode(found.generate(password));
    }

    /** True when {@link #hash} accepts the scheme name (with an optional ".HEX"/".B64" suffix). */
    public static boolean supports(String scheme) {
        StoredPassword name = StoredPassword.parse("{" + scheme + "}");
        return Schemes.byName(name.scheme()).flatMap(found -> encodingFor(found, name)).isPresent();
    }

    private static Optional<Encoding> encodingFor(PasswordScheme scheme, StoredPassword name) {
        return name.hasSuffix() ? Encoding.fromSuffix(name.suffix()) : Optional.of(scheme.defaultEncoding());
    }

    /** Names of all supported schemes (upper case, aliases included). */
    public static Set<String> schemes() {
        var names = new TreeSet<String>();
        Schemes.names().forEach(names::add);
        return Collections.unmodifiableSet(names);
    }

    /** The scheme name a stored value uses (upper case, without encoding suffix). */
    public static String schemeOf(String stored) {
        return StoredPassword.parse(stored).scheme();
    }

    /** The password itself, when stored as PLAIN/CLEAR/CLEARTEXT (needed by APOP and CRAM-MD5). */
    public static Optional<byte[]> plaintext(String stored) {
        StoredPassword parsed = StoredPassword.parse(stored);
        if (!PLAINTEXT_SCHEMES.contains(parsed.scheme())) {
            return Optional.empty();
        }
        return Schemes.byName(parsed.scheme()).flatMap(scheme -> RawValues.decode(scheme, parsed.suffix(), parsed.data()));
    }

    /** The CRAM-MD5 secret, from a plaintext or a stored CRAM-MD5/HMAC-MD5 context. */
    public static Optional<CramMd5Secret> cramMd5Secret(String stored) {
        Optional<byte[]> plaintext = plaintext(stored);
        if (plaintext.isPresent()) {
            return plaintext.map(CramMd5Secret::fromPassword);
        }
        StoredPassword parsed = StoredPassword.parse(stored);
        if (!CRAM_SCHEMES.contains(parsed.scheme())) {
            return Optional.empty();
        }
        return Schemes.byName(parsed.scheme())
                .flatMap(scheme -> RawValues.decode(scheme, parsed.suffix(), parsed.data()))
                .map(CramMd5Secret::fromContext);
    }

    /**
     * The SCRAM secret for {@code hash}: from a plaintext (fresh salt, 4096 iterations, like Dovecot)
     * or from a stored value of the same SCRAM scheme.
     */
    public static Optional<ScramSecret> scramSecret(String stored, ScramHash hash) {
        Optional<byte[]> plaintext = plaintext(stored);
        if (plaintext.isPresent()) {
            return plaintext.map(password -> ScramSecret.derive(hash, password));
        }
        StoredPassword parsed = StoredPassword.parse(stored);
        if (!parsed.scheme().equals(hash.mechanism()) || parsed.hasSuffix()) {
            return Optional.empty();
        }
        return ScramSecret.parse(hash, parsed.data());
    }

    private static String printable(String text) {
        String cut = text.length() > 40 ? text.substring(0, 40) : text;
        return cut.toUpperCase(Locale.ROOT).replaceAll("[^\\x20-\\x7e]", "?");
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
