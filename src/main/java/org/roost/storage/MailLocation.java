package org.roost.storage;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A Dovecot-style mail location ({@code maildir:/var/mail/%u}, {@code maildir:~/Maildir}): the format and the
 * per-user root. Variables: {@code %u} user, {@code %n} user part before '@', {@code %d} domain part,
 * {@code %h} the user's home, {@code %%} percent; a leading {@code ~} is the home too.
 */
public record MailLocation(String format, String template) {

    public static MailLocation parse(String location) {
        int colon = location.indexOf(':');
        if (colon <= 0 || colon == location.length() - 1) {
            throw new IllegalArgumentException("mail location must look like maildir:/path/%u");
        }
        return new MailLocation(location.substring(0, colon), location.substring(colon + 1));
    }

    /** The root of {@code user}'s mail, for locations that do not use the home. */
    public Path root(String user) {
        return root(user, "");
    }

    /**
     * The root of {@code user}'s mail, whose home is {@code home}; user names that could escape the template's
     * directory are refused, and so is a location that needs a home when {@code home} is empty.
     */
    public Path root(String user, String home) {
        if (user.isEmpty() || user.contains("/") || user.contains("\0") || user.equals(".") || user.equals("..")) {
            throw new IllegalArgumentException("user name cannot name a mail directory");
        }
        if (usesHome() && home.isEmpty()) {
            throw new IllegalArgumentException("the location needs the user's home, and the user has none");
        }
        int at = user.indexOf('@');
        var out = new StringBuilder();
        int start = 0;
        if (template.startsWith("~")) {
            out.append(home);
            start = 1;
        }
        for (int i = start; i < template.length(); i++) {
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
                case 'h' -> out.append(home);
                case '%' -> out.append('%');
                default -> out.append('%').append(v);
            }
        }
        return Path.of(out.toString());
    }

    /** Whether the location depends on the user's home ({@code ~} or {@code %h}). */
    public boolean usesHome() {
        return template.startsWith("~") || template.replace("%%", "").contains("%h");
    }

    /**
     * The directory every user's mail lies under: the template up to its first variable, cut back to a whole
     * directory ({@code /var/vmail} for {@code /var/vmail/%d/%n}); empty when the location starts with the home.
     */
    public Optional<Path> fixedDirectory() {
        if (template.startsWith("~")) {
            return Optional.empty();
        }
        int variable = template.indexOf('%');
        if (variable < 0) {
            return Optional.of(Path.of(template));
        }
        var fixed = template.substring(0, variable);
        if (fixed.isEmpty()) {
            return Optional.empty();
        }
        var directory = Path.of(fixed);
        return fixed.endsWith("/") ? Optional.of(directory) : Optional.ofNullable(directory.getParent());
    }
}
