package org.roost.storage.maildir;

import java.util.Optional;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxNameCodec;

/**
 * Mailbox names of a Maildir++ store, as Dovecot lays them out: INBOX is the Maildir root,
 * every other mailbox {@code Parent.Child} is the directory {@code .Parent.Child} with the
 * name in modified UTF-7. Names are checked here so that none can leave the user's root.
 */
final class FolderNames {

    static final char DELIMITER = '.';
    static final String INBOX = "INBOX";
    /** Dovecot renames a mailbox to this before removing it; never a user's mailbox. */
    static final String TRASHED = "DOVECOT-TRASHED";
    static final int MAX_LEVELS = 16;
    static final int MAX_DIR_NAME_BYTES = 255;
    static final int MAX_NAME_CHARS = 1000;

    private FolderNames() {
    }

    /**
     * The canonical form of a mailbox name ({@code INBOX} upper-cased, also as the first level).
     *
     * @throws InvalidMailboxNameException when the name is not acceptable, with the reason
     */
    static String canonical(String name) throws InvalidMailboxNameException {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "empty name");
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw invalid(name, "name too long");
        }
        checkCharacters(name);
        var levels = name.split("\\.", -1);
        if (levels.length > MAX_LEVELS) {
            throw invalid(name, "more than " + MAX_LEVELS + " levels");
        }
        for (var level : levels) {
            if (level.isEmpty()) {
                throw invalid(name, "empty level (leading, trailing or doubled '" + DELIMITER + "')");
            }
            if (level.charAt(0) == '~') {
                throw invalid(name, "a level may not start with '~'");
            }
        }
        if (levels[0].equalsIgnoreCase(INBOX)) {
            levels[0] = INBOX;
        }
        if (levels[0].equalsIgnoreCase(TRASHED)) {
            throw invalid(name, "reserved name");
        }
        var canonical = String.join(String.valueOf(DELIMITER), levels);
        if (!canonical.equals(INBOX) && encodedLength(canonical) + 1 > MAX_DIR_NAME_BYTES) {
            throw invalid(name, "name too long on disk");
        }
        return canonical;
    }

    private static void checkCharacters(String name) throws InvalidMailboxNameException {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw invalid(name, "control character");
            }
            if (c == '/') {
                throw invalid(name, "'/' is not allowed");
            }
            if (c == '*' || c == '%') {
                throw invalid(name, "wildcard characters are not allowed");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                throw invalid(name, "unpaired surrogate");
            }
        }
    }

    private static int encodedLength(String canonical) {
        return MailboxNameCodec.encode(canonical).length();
    }

    /** The directory of a canonical name, relative to the root; empty for INBOX (the root). */
    static Optional<String> directory(String canonical) {
        return canonical.equals(INBOX) ? Optional.empty() : Optional.of(DELIMITER + MailboxNameCodec.encode(canonical));
    }

    /**
     * The mailbox name a root entry stands for, if it is a mailbox directory whose name is valid
     * and canonical (a directory {@code .inbox} or one with broken modified UTF-7 is not).
     */
    static Optional<String> fromDirectory(String dirName) {
        if (dirName.length() < 2 || dirName.charAt(0) != DELIMITER) {
            return Optional.empty();
        }
        try {
            var name = canonical(MailboxNameCodec.decode(dirName.substring(1)));
            return directory(name).filter(dirName::equals).map(dir -> name);
        } catch (IllegalArgumentException | InvalidMailboxNameException e) {
            return Optional.empty();
        }
    }

    static boolean isInbox(String canonical) {
        return canonical.equals(INBOX);
    }

    /** True when {@code name} lies below {@code parent} in the hierarchy. */
    static boolean isInferior(String name, String parent) {
        return name.length() > parent.length() + 1 && name.startsWith(parent)
                && name.charAt(parent.length()) == DELIMITER;
    }

    private static InvalidMailboxNameException invalid(String name, String why) {
        var shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return new InvalidMailboxNameException("invalid mailbox name \""
                + shown.replaceAll("\\p{Cntrl}", "?") + "\": " + why, why);
    }
}
