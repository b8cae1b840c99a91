package org.roost.sieve;

import java.nio.charset.StandardCharsets;

/**
 * A script's name as ManageSieve and the file store both accept it: RFC 5804 §1.6 (no control characters, no
 * U+2028/U+2029, not empty) plus what a file name in {@code ~/sieve/} needs: no {@code /}, no leading {@code .}
 * (hidden files and {@code ..}), and at most {@link #MAX_BYTES} bytes of UTF-8, so {@code NAME.sieve} fits a
 * file name of 255 bytes.
 */
public record ScriptName(String value) {
    /** 255 bytes of a file name, less {@code .sieve}. */
    public static final int MAX_BYTES = 255 - ScriptStore.SUFFIX.length();

    public ScriptName {
        var problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Why {@code name} is no script name; null when it is one. */
    public static String problem(String name) {
        if (name == null || name.isEmpty()) {
            return "a script name may not be empty";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            return "a script name may be at most " + MAX_BYTES + " bytes long";
        }
        if (name.startsWith(".")) {
            return "a script name may not start with '.'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 || c == '/'
                    || Character.isSurrogate(c) && !wellPaired(name, i)) {
                return "a script name may not contain control characters, '/' or unpaired surrogates";
            }
        }
        return null;
    }

    private static boolean wellPaired(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    @Override
    public String toString() {
        return value;
    }
}
