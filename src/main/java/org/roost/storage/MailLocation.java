package org.roost.storage;

import java.nio.file.Path;

/**
 * A Dovecot-style mail location ({@code maildir:/var/mail/%u}): the format and the per-user root.
 * Variables: {@code %u} user, {@code %n} user part before '@', {@code %d} domain part, {@code %%} percent.
 */
public record MailLocation(String format, String template) {

    public static MailLocation parse(String location) {
        int colon = location.indexOf(':');
        if (colon <= 0 || colon == location.length() - 1) {
            throw new IllegalArgumentException("mail location must look like maildir:/path/%u");
        }
        return new MailLocation(location.substring(0, colon), location.substring(colon + 1));
    }

    /** The root of {@code user}'s mail; user names that could escape the template's directory are refused. */
    public Path root(String user) {
        if (user.isEmpty() || user.contains("/") || user.contains("\0") || user.equals(".") || user.equals("..")) {
            throw new IllegalArgumentException("user name cannot name a mail directory");
        }
        int at = user.indexOf('@');
        var out = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' || i + 1 == template.length()) {
                out.append(c);
                continue;
            }
            char v = template.charAt(++i);
            switch (v) {
                case 'u' -> out.append(user);
                case 'n' -> out.append(at < 0 ? user : user.substring(0, at));
                case 'd' -> out.append(at < 0 ? "" : user.substring(at + 1));
                case '%' -> out.append('%');
                default -> out.append('%').append(v);
            }
        }
        return Path.of(out.toString());
    }
}
