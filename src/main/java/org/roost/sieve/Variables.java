package org.roost.sieve;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The variables of one script run (RFC 5229): names are case-insensitive, {@code ${0}}…{@code ${9}} hold the last
 * successful :matches, and names declared {@code global} (RFC 6609 §3.5) live in a map shared with the including and
 * included scripts. Values are cut at {@link #MAX_VALUE} characters and a run holds at most {@link #MAX_VARIABLES}
 * names (Pigeonhole's defaults), so no script can make one grow without bound.
 */
final class Variables {
    static final int MAX_VALUE = 4096;
    static final int MAX_VARIABLES = 255;

    private final Map<String, String> local = new HashMap<>();
    private final Map<String, String> global;
    private final Set<String> globalNames = new HashSet<>();
    private List<String> matched = List.of();

    Variables(Map<String, String> global) {
        this.global = global;
    }

    void declareGlobal(String name) {
        globalNames.add(name.toLowerCase(Locale.ROOT));
    }

    void set(String name, String value) throws SieveRuntimeException {
        var key = name.toLowerCase(Locale.ROOT);
        var map = globalNames.contains(key) ? global : local;
        if (!map.containsKey(key) && map.size() >= MAX_VARIABLES) {
            throw new SieveRuntimeException("more than " + MAX_VARIABLES + " variables");
        }
        map.put(key, cut(value));
    }

    String get(String name) {
        var key = name.toLowerCase(Locale.ROOT);
        return (globalNames.contains(key) ? global : local).getOrDefault(key, "");
    }

    /** RFC 5229 §3.2: a successful :matches replaces all match variables. */
    void matched(List<String> groups) {
        this.matched = groups.stream().limit(10).map(Variables::cut).toList();
    }

    /**
     * RFC 5229 §3: {@code ${name}} and {@code ${N}} replaced by their values (an unknown one by ""); a reference
     * that is not well formed stays as written.
     */
    String expand(String text) {
        int open = text.indexOf("${");
        if (open < 0) {
            return text;
        }
        var out = new StringBuilder(text.length());
        int at = 0;
        while (open >= 0) {
            int close = text.indexOf('}', open + 2);
            if (close < 0) {
                break;
            }
            var name = text.substring(open + 2, close);
            if (isNumber(name)) {
                out.append(text, at, open).append(matchVariable(name));
                at = close + 1;
            } else if (isIdentifier(name)) {
                out.append(text, at, open).append(get(name));
                at = close + 1;
            } else {
                out.append(text, at, open + 2);
                at = open + 2;
            }
            if (out.length() > MAX_VALUE) {
                return out.substring(0, MAX_VALUE);
            }
            open = text.indexOf("${", at);
        }
        out.append(text, at, text.length());
        return cut(out.toString());
    }

    private String matchVariable(String digits) {
        var stripped = digits.replaceFirst("^0+(?=.)", "");
        if (stripped.length() > 1) {
            return "";
        }
        int index = stripped.charAt(0) - '0';
        return index < matched.size() ? matched.get(index) : "";
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    static boolean isIdentifier(String s) {
        if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) && s.charAt(0) < 0x80 || s.charAt(0) == '_')) {
            return false;
        }
        return s.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || c == '_'));
    }

    private static String cut(String value) {
        return value.length() <= MAX_VALUE ? value : value.substring(0, MAX_VALUE);
    }
}
