package org.roost.sieve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Optional;
import org.roost.config.RoostConfig;

/**
 * Where each user's scripts are: {@code ~} is the {@code home} their user database gives (absolute, without
 * {@code ..}), as Pigeonhole's {@code file:~/sieve;active=~/.dovecot.sieve}; a user without a home gets
 * {@code sieve.homes/USER} (by default {@code DATA/sieve/USER}), with the name made safe for a file name. The mail
 * location is no fallback: Sieve files inside a Maildir would be taken for mail folders by other programs.
 */
public final class ScriptStores {

    /** A user's {@code home} as their user database gives it; empty or blank: none. */
    @FunctionalInterface
    public interface HomeLookup {
        Optional<String> home(String user) throws IOException;
    }

    private final RoostConfig.Sieve config;
    private final boolean fsync;
    private final HomeLookup homes;

    public ScriptStores(RoostConfig.Sieve config, boolean fsync, HomeLookup homes) {
        this.config = config;
        this.fsync = fsync;
        this.homes = homes;
    }

    /** The store of {@code user}. */
    public ScriptStore of(String user) throws IOException {
        return new ScriptStore(homeOf(user), config.maxScriptSize(), config.maxScripts(), fsync);
    }

    Path homeOf(String user) throws IOException {
        var home = homes.home(user).filter(h -> !h.isBlank());
        if (home.isEmpty()) {
            return config.homes().toAbsolutePath().resolve(fileName(user));
        }
        try {
            var path = Path.of(home.get());
            if (path.isAbsolute() && path.normalize().equals(path) && home.get().chars().noneMatch(c -> c < 0x20)) {
                return path;
            }
        } catch (InvalidPathException e) {
            // refused below
        }
        throw new IOException("user " + fileName(user) + ": the home must be an absolute path without '..'");
    }

    /**
     * A user name as one file name: letters, digits and {@code @ . _ + -} stay (not a leading dot), every other
     * byte of its UTF-8 becomes {@code %XX}; so no name can step out of {@code sieve.homes} and two names never
     * share a directory.
     */
    static String fileName(String user) {
        var out = new StringBuilder();
        var bytes = user.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xff;
            boolean plain = b < 0x80 && (Character.isLetterOrDigit(b) || "@_+-".indexOf(b) >= 0 || b == '.' && i > 0);
            if (plain) {
                out.append((char) b);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 15, 16)));
            }
        }
        return out.isEmpty() ? "%" : out.toString();
    }
}
