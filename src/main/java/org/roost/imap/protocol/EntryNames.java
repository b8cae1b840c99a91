package org.roost.imap.protocol;

import java.util.Locale;

/** The syntax of METADATA entry names (RFC 5464 §3.2). */
public final class EntryNames {
    private EntryNames() {}

    /**
     * Why {@code name} is not a valid entry name, or null when it is. {@code toSet}: a name a value is given
     * to needs at least two components (four under a vendor prefix); otherwise {@code /private} and
     * {@code /shared} alone are names too, of everything below them.
     */
    public static String problem(String name, boolean toSet) {
        if (name.isEmpty() || name.charAt(0) != '/') {
            return "it must begin with '/'";
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return "only printable ASCII characters are allowed";
            }
            if (c == '*' || c == '%') {
                return "'*' and '%' are not allowed";
            }
        }
        if (name.contains("//")) {
            return "it must not contain \"//\"";
        }
        if (name.endsWith("/")) {
            return "it must not end with '/'";
        }
        var components = name.substring(1).toLowerCase(Locale.ROOT).split("/");
        if (!components[0].equals("private") && !components[0].equals("shared")) {
            return "it must begin with /private or /shared";
        }
        if (toSet && components.length < 2) {
            return "it needs a component after /" + components[0];
        }
        if (toSet && components.length > 1 && components[1].equals("vendor") && components.length < 4) {
            return "a vendor entry is /" + components[0] + "/vendor/<vendor-token>/<name>";
        }
        return null;
    }

    /** Whether {@code name} is a private entry ({@code /private} or below it). */
    public static boolean isPrivate(String name) {
        return name.equals("/private") || name.startsWith("/private/");
    }
}
