package org.roost.auth;

import java.net.InetAddress;

/** Makes client-chosen text safe for a one-line log entry. */
public final class LogText {
    private static final int MAX = 128;

    private LogText() {}

    /** Control characters (a forged log line) become '?', and the text is cut at {@value #MAX} characters. */
    public static String printable(String text) {
        var out = new StringBuilder(Math.min(text.length(), MAX));
        for (int i = 0; i < text.length() && i < MAX; i++) {
            char c = text.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.toString();
    }

    /** IPv4 as dotted quad, IPv6 in brackets, so a log line never reads "::1:143". */
    static String address(InetAddress remote) {
        if (remote == null) {
            return "-";
        }
        var text = remote.getHostAddress();
        return text.contains(":") ? "[" + text + "]" : text;
    }
}
