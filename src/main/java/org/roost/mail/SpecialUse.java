package org.roost.mail;

import java.util.Locale;
import java.util.Optional;

/**
 * What a mailbox is for (RFC 6154 §2), named as IMAP's LIST attributes and Dovecot's {@code special_use}
 * setting name them. {@link #supported()} says which uses Roost gives to ordinary mailboxes: \All and
 * \Flagged promise virtual mailboxes, which Roost does not build.
 */
public enum SpecialUse {
    ALL("\\All", false), ARCHIVE("\\Archive", true), DRAFTS("\\Drafts", true), FLAGGED("\\Flagged", false),
    JUNK("\\Junk", true), SENT("\\Sent", true), TRASH("\\Trash", true);

    private final String attribute;
    private final boolean supported;

    SpecialUse(String attribute, boolean supported) {
        this.attribute = attribute;
        this.supported = supported;
    }

    /** The name with its backslash, e.g. {@code \Sent}. */
    public String attribute() {
        return attribute;
    }

    /** Whether an ordinary mailbox can have this use. */
    public boolean supported() {
        return supported;
    }

    /** The use an attribute names, in any case ({@code \sent} is \Sent), or empty for an unknown one. */
    public static Optional<SpecialUse> named(String attribute) {
        var lower = attribute.toLowerCase(Locale.ROOT);
        for (var use : values()) {
            if (use.attribute.toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(use);
            }
        }
        return Optional.empty();
    }
}
