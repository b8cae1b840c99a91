package org.roost.storage.mbox;

import java.nio.file.Path;
import java.util.Optional;
import org.roost.mail.InvalidMailboxNameException;
import org.roost.mail.MailboxNameCodec;

/**
 * Where a user's mailboxes lie, in Dovecot's mbox layout: every mailbox but INBOX is a file under the
 * mail directory, its hierarchy levels ({@code /}-separated) directories, names in modified UTF-7;
 * INBOX is {@code inbox} there or the spool file {@code INBOX=} names ({@code /var/mail/%u}); index
 * files go under {@code .imap/<name>/} of the mail directory (or the {@code INDEX=} directory, none
 * with {@code INDEX=MEMORY}); subscriptions are in {@code .subscriptions}.
 *
 * <p>A name is refused when it could leave the mail directory or clash with the layout's own files:
 * empty, {@code .} or {@code ..} levels, levels starting with a dot (Dovecot's {@code .imap},
 * {@code .subscriptions}, Roost's journals) or ending in {@code .lock} (dot-locks), control
 * characters, wildcards, more than {@value #MAX_LEVELS} levels or a level of more than 255 bytes on disk.
 *
 * @param index null when index files are kept in memory only
 */
record MboxLayout(Path root, Path inbox, Path index) {

    static final char DELIMITER = '/';
    static final String INBOX = "INBOX";
    static final String SUBSCRIPTIONS = ".subscriptions";
    /** Roost's {@link org.roost.storage.files.SpecialUseFile}, hidden by its dot. */
    static final String SPECIAL_USES = ".roost-special-use";
    /** The quota ledger (Maildir++'s {@code maildirsize} format) and the administrator's limits, hidden by their dots. */
    static final String QUOTA_LEDGER = ".maildirsize";
    static final String QUOTA_OVERRIDE = ".roost-quota";
    static final int MAX_LEVELS = 16;
    private static final int MAX_NAME_CHARS = 1000;
    private static final int MAX_LEVEL_BYTES = 255;

    /** The canonical form of a name ({@code INBOX} in any case is INBOX), or a refusal with the reason. */
    static String canonical(String name) throws InvalidMailboxNameException {
        if (name == null || name.isEmpty()) {
            throw invalid(name, "empty name");
        }
        if (name.equalsIgnoreCase(INBOX)) {
            return INBOX;
        }
        if (name.length() > MAX_NAME_CHARS) {
            throw invalid(name, "name too long");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw invalid(name, "control character");
            }
            if (c == '*' || c == '%') {
                throw invalid(name, "wildcard characters are not allowed");
            }
            if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < name.length()
                    && Character.isLowSurrogate(name.charAt(++i)))) {
                throw invalid(name, "unpaired surrogate");
            }
        }
        var levels = name.split(String.valueOf(DELIMITER), -1);
        if (levels.length > MAX_LEVELS) {
            throw invalid(name, "more than " + MAX_LEVELS + " levels");
        }
        if (levels.length > 1 && levels[0].equalsIgnoreCase(INBOX)) {
            throw invalid(name, "INBOX is a file: it cannot have inferior mailboxes in mbox");
        }
        for (var level : levels) {
            if (level.isEmpty()) {
                throw invalid(name, "empty level (leading, trailing or doubled '" + DELIMITER + "')");
            }
            if (level.charAt(0) == '.') {
                throw invalid(name, "a level may not start with '.'");
            }
            if (level.endsWith(".lock")) {
                throw invalid(name, "a level may not end with '.lock' (the name of a lock file)");
            }
            if (MailboxNameCodec.encode(level).length() > MAX_LEVEL_BYTES) {
                throw invalid(name, "a level is too long on disk");
            }
        }
        return name;
    }

    /** The mbox file of a canonical name. */
    Path file(String canonical) {
        return canonical.equals(INBOX) ? inbox : root.resolve(onDisk(canonical));
    }

    /** Where a mailbox's index files go, or null. */
    Path indexOf(String canonical) {
        return index == null ? null : index.resolve(onDisk(canonical));
    }

    /**
     * Where a mailbox's index files and annotations go: its index directory, or the same place under
     * {@code .imap} when index files are kept in memory only. It moves and goes with the mailbox.
     */
    Path stateOf(String canonical) {
        return stateRoot().resolve(onDisk(canonical));
    }

    /** Where the user's annotations of the server go. */
    Path stateRoot() {
        return index != null ? index : root.resolve(".imap");
    }

    /** The journal, dot-lock and other files of a mailbox live beside its file; the index beside them too. */
    private static String onDisk(String canonical) {
        return MailboxNameCodec.encode(canonical);
    }

    /**
     * The mailbox name a path below the root stands for, when the name on disk is valid and canonical
     * (a file {@code inbox} at the top is INBOX's when INBOX lives there, and never another mailbox).
     */
    Optional<String> nameOf(Path relative) {
        var encoded = relative.toString().replace(relative.getFileSystem().getSeparator(), String.valueOf(DELIMITER));
        try {
            var name = canonical(MailboxNameCodec.decode(encoded));
            return name.equals(INBOX) || !onDisk(name).equals(encoded) ? Optional.empty() : Optional.of(name);
        } catch (IllegalArgumentException | InvalidMailboxNameException e) {
            return Optional.empty();
        }
    }

    static boolean isInferior(String name, String parent) {
        return name.length() > parent.length() + 1 && name.startsWith(parent) && name.charAt(parent.length()) == DELIMITER;
    }

    private static InvalidMailboxNameException invalid(String name, String why) {
        var shown = name == null ? "null" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
        return new InvalidMailboxNameException("invalid mailbox name \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\": "
                + why, why);
    }
}
