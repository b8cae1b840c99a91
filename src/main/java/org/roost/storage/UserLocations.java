package org.roost.storage;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.roost.mail.MailUnavailableException;

/**
 * Which location applies to a user, as Dovecot's userdb fields decide: the user's own {@code mail} field
 * ({@code maildir:~/Maildir}, {@code maildir:/var/vmail/%d/%n}) over the configured {@code mail.location}, with
 * {@code ~} and {@code %h} standing for the user's {@code home}.
 *
 * <p>A user database is not trusted to send mail anywhere: a location that comes from it (a {@code mail}
 * field, or any location expanded with a {@code home}) is refused unless it names a known format without
 * options, the home (when used) is absolute, and the path is absolute, has no {@code ..} step and no control
 * character, and lies strictly inside one of the allowed roots. The check is on the path as written: symbolic links below a root are the
 * operator's.
 */
public final class UserLocations {
    private static final int MAX_SHOWN = 300;
    private final MailLocation configured;
    private final Set<String> formats;
    private final List<Path> allowedRoots;

    /**
     * @param formats the formats a {@code mail} field may name (those with a driver)
     * @param allowedRoots absolute directories a location from a user database must lie inside
     */
    public UserLocations(MailLocation configured, Set<String> formats, List<Path> allowedRoots) {
        this.configured = configured;
        this.formats = Set.copyOf(formats);
        this.allowedRoots = allowedRoots.stream().map(p -> p.toAbsolutePath().normalize()).toList();
    }

    /**
     * The location of {@code user}, whose database gave {@code mail} (empty: none) and {@code home}
     * ({@code ""}: none).
     *
     * @throws MailUnavailableException naming why a location is refused and the value refused (made printable)
     */
    public UserLocation of(String user, Optional<String> mail, String home) throws MailUnavailableException {
        var location = mail.isPresent() ? parse(mail.get()) : configured;
        var resolved = new UserLocation(user, location, location.usesHome() ? home : "");
        Path written;
        try {
            written = location.root(user, resolved.home());
        } catch (IllegalArgumentException e) { // InvalidPathException (a NUL) is one too
            throw refused(e.getMessage(), mail.orElse(user));
        }
        if (mail.isPresent() || location.usesHome()) {
            check(resolved.home(), written);
        }
        return resolved;
    }

    private MailLocation parse(String field) throws MailUnavailableException {
        int colon = field.indexOf(':');
        if (colon <= 0 || !formats.contains(field.substring(0, colon))) {
            throw refused("the mail field must start with one of " + formats + " and ':'", field);
        }
        var template = field.substring(colon + 1);
        if (template.contains(":")) {
            throw refused("the mail field may not carry options (':')", field);
        }
        return new MailLocation(field.substring(0, colon), template);
    }

    private void check(String home, Path written) throws MailUnavailableException {
        if (written.toString().chars().anyMatch(Character::isISOControl)) {
            throw refused("the mail location may not hold control characters", written.toString());
        }
        if (!home.isEmpty() && !plainAbsolute(home)) {
            throw refused("the home must be an absolute path without '..'", home);
        }
        if (!plainAbsolute(written.toString())) {
            throw refused("the mail location must be an absolute path without '..'", written.toString());
        }
        var root = written.normalize();
        if (allowedRoots.stream().noneMatch(allowed -> root.startsWith(allowed) && !root.equals(allowed))) {
            throw refused("the mail location is not inside mail.allowedRoots " + allowedRoots, root.toString());
        }
    }

    private static boolean plainAbsolute(String path) {
        try {
            var p = Path.of(path);
            if (!p.isAbsolute()) {
                return false;
            }
            for (var step : p) {
                if (step.toString().equals("..")) {
                    return false;
                }
            }
            return true;
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The text names a database's value: control characters (a forged log line) become '?', and it is cut short. */
    private static MailUnavailableException refused(String why, String value) {
        var text = why + ": " + value;
        var shown = text.codePoints().limit(MAX_SHOWN).map(c -> Character.isISOControl(c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append);
        return new MailUnavailableException(shown + (text.length() > MAX_SHOWN ? "..." : ""));
    }
}
