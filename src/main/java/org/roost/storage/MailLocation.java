package org.roost.storage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A Dovecot-style mail location ({@code maildir:/var/mail/%u}, {@code maildir:~/Maildir},
 * {@code mbox:/home/%u/mail:INBOX=/var/mail/%u:INDEX=/var/lib/roost/%u}): the format, the per-user
 * root and the {@code :KEY=value} options after it, whose values are expanded like the root. As in
 * Dovecot, {@code ::} stands for a colon inside a path. Variables: {@code %u} user, {@code %n} user
 * part before '@', {@code %d} domain part, {@code %h} the user's home, {@code %%} percent; a leading
 * {@code ~} is the home too.
 *
 * @param options upper-cased keys in the order given; which keys mean something is the driver's business
 */
public record MailLocation(String format, String template, Map<String, String> options) {

    public MailLocation {
        options = Map.copyOf(options);
    }

    public MailLocation(String format, String template) {
        this(format, template, Map.of());
    }

    public static MailLocation parse(String location) {
        int colon = location.indexOf(':');
        if (colon <= 0 || colon == location.length() - 1) {
            throw new IllegalArgumentException("mail location must look like maildir:/path/%u");
        }
        var parts = split(location.substring(colon + 1));
        var options = new LinkedHashMap<String, String>();
        for (var part : parts.subList(1, parts.size())) {
            int equals = part.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("mail location option '" + part + "' must look like KEY=value");
            }
            var key = part.substring(0, equals).toUpperCase(Locale.ROOT);
            if (options.put(key, part.substring(equals + 1)) != null) {
                throw new IllegalArgumentException("mail location option " + key + " is given twice");
            }
        }
        if (parts.get(0).isEmpty()) {
            throw new IllegalArgumentException("mail location has an empty path");
        }
        return new MailLocation(location.substring(0, colon), parts.get(0), options);
    }

    /** Splits at single colons; {@code ::} is a literal colon. */
    private static List<String> split(String text) {
        var parts = new ArrayList<String>();
        var current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ':') {
                current.append(c);
            } else if (i + 1 < text.length() && text.charAt(i + 1) == ':') {
                current.append(':');
                i++;
            } else {
                parts.add(current.toString());
                current.setLength(0);
            }
        }
        parts.add(current.toString());
        return parts;
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
        return expand(template, user, home);
    }

    /** Option {@code key} expanded for {@code user} (whose home is {@code home}), as a path; empty when not set. */
    public Optional<Path> path(String key, String user, String home) {
        var value = options.get(key);
        return value == null ? Optional.empty() : Optional.of(expand(value, user, home));
    }

    /** Whether the location depends on the user's home ({@code ~} or {@code %h}). */
    public boolean usesHome() {
        return usesHome(template) || options.values().stream().anyMatch(MailLocation::usesHome);
    }

    private static boolean usesHome(String template) {
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

    private static Path expand(String template, String user, String home) {
        if (user.isEmpty() || user.contains("/") || user.contains("\0") || user.equals(".") || user.equals("..")) {
            throw new IllegalArgumentException("user name cannot name a mail directory");
        }
        if (usesHome(template) && home.isEmpty()) {
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
}
