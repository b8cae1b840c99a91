package org.roost.auth.password;

/**
 * Outcome of checking a password against a stored value.
 *
 * @param matches true only when the password is correct
 * @param reason  why it did not match (for server logs; never contains the password), or "ok"
 */
public record Verification(boolean matches, String reason) {

    private static final Verification MATCH = new Verification(true, "ok");
    private static final Verification MISMATCH = new Verification(false, "password mismatch");

    static Verification of(boolean matches) {
        return matches ? MATCH : MISMATCH;
    }

    static Verification invalid(String reason) {
        return new Verification(false, reason);
    }
}
