package org.roost.storage.postgres;

import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxNames;

/**
 * The names a database store accepts: levels separated by {@value #DELIMITER}, none empty, no control character,
 * wildcard or unpaired surrogate, at most {@value #MAX_LEVELS} levels of {@value #MAX_CHARS} characters in all.
 */
final class MailboxNameRules {
    static final char DELIMITER = '/';
    static final int MAX_LEVELS = 32;
    static final int MAX_CHARS = 1000;

    private MailboxNameRules() {}

    /** The canonical name ({@code INBOX} in any case is INBOX). */
    static String canonical(String name) throws InvalidMailboxNameException {
        if (name == null || name.isEmpty()) {
            throw invalid("", "empty name");
        }
        var canonical = MailboxNames.canonical(name);
        if (canonical.length() > MAX_CHARS) {
            throw invalid(canonical, "name too long");
        }
        for (int i = 0; i < canonical.length(); i++) {
            char c = canonical.charAt(i);
            if (c < 0x20 || c >= 0x7f && c <= 0x9f) {
                throw invalid(canonical, "control character");
            }
            if (c == '*' || c == '%') {
                throw invalid(canonical, "wildcard characters are not allowed");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < canonical.length()
                    && Character.isLowSurrogate(canonical.charAt(++i)))) {
                throw invalid(canonical, "unpaired surrogate");
            }
        }
        var levels = canonical.split(String.valueOf(DELIMITER), -1);
        if (levels.length > MAX_LEVELS) {
            throw invalid(canonical, "more than " + MAX_LEVELS + " levels");
        }
        for (var level : levels) {
            if (level.isEmpty()) {
                throw invalid(canonical, "empty level (leading, trailing or doubled '" + DELIMITER + "')");
            }
        }
        return canonical;
    }

    /** Whether {@code name} lies below {@code parent}. */
    static boolean isInferior(String name, String parent) {
        return name.length() > parent.length() + 1 && name.startsWith(parent) && name.charAt(parent.length()) == DELIMITER;
    }

    private static InvalidMailboxNameException invalid(String name, String why) {
        var shown = name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return new InvalidMailboxNameException("invalid mailbox name \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\": "
                + why, why);
    }
}
