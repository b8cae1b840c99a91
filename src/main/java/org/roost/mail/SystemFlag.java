package org.roost.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * The system flags a message store keeps (RFC 3501 §2.3.2). {@code \Recent} is not one of
 * them: it is a property of a session, not of the stored message.
 */
public enum SystemFlag {
    SEEN("\\Seen"),
    ANSWERED("\\Answered"),
    FLAGGED("\\Flagged"),
    DELETED("\\Deleted"),
    DRAFT("\\Draft");

    private final String imapName;

    SystemFlag(String imapName) {
        this.imapName = imapName;
    }

    /** The flag as written in IMAP, e.g. {@code \Seen}. */
    public String imapName() {
        return imapName;
    }

    /** Looks a flag up by its IMAP name, case-insensitively (flags are atoms, RFC 3501 §2.3.2). */
    public static Optional<SystemFlag> fromImapName(String name) {
        var lower = name.toLowerCase(Locale.ROOT);
        for (var flag : values()) {
            if (flag.imapName.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(flag);
            }
        }
        return Optional.empty();
    }
}
