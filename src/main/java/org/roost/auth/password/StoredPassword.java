package org.roost.auth.password;

import java.util.Locale;

/**
 * A stored password split the way Dovecot's {@code password_get_scheme()} splits it:
 * {@code {SCHEME[.ENC]}data}; a bare {@code $1$...} is MD5-CRYPT; anything else without braces
 * uses the default scheme, which for passwd-file is CRYPT.
 *
 * @param scheme   upper-case scheme name without the encoding suffix
 * @param suffix   the text after the first '.' in the braces (without the dot), or "" when absent
 * @param data     everything after the closing brace
 */
record StoredPassword(String scheme, String suffix, String data) {

    static final String DEFAULT_SCHEME = "CRYPT";

    static StoredPassword parse(String stored) {
        if (stored.startsWith("{")) {
            int close = stored.indexOf('}');
            if (close > 0) {
                return withName(stored.substring(1, close), stored.substring(close + 1));
            }
        }
        if (stored.startsWith("$1$")) {
            return new StoredPassword("MD5-CRYPT", "", stored);
        }
        return new StoredPassword(DEFAULT_SCHEME, "", stored);
    }

    private static StoredPassword withName(String name, String data) {
        int dot = name.indexOf('.');
        String scheme = dot < 0 ? name : name.substring(0, dot);
        String suffix = dot < 0 ? "" : name.substring(dot + 1);
        return new StoredPassword(scheme.toUpperCase(Locale.ROOT), suffix, data);
    }

    boolean hasSuffix() {
        return !suffix.isEmpty();
    }
}
