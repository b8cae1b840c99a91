package org.roost.imap.protocol.response;

import org.roost.mail.SpecialUse;

/**
 * A mailbox attribute of a LIST response ({@code mbx-list-flags}: RFC 3501 §7.2.2, RFC 3348's children,
 * RFC 5258's {@code \NonExistent \Subscribed \Remote}, RFC 6154's special uses), with its name on the wire.
 */
public enum ListAttribute {
    NOSELECT("\\Noselect"), NONEXISTENT("\\NonExistent"), HAS_CHILDREN("\\HasChildren"),
    HAS_NO_CHILDREN("\\HasNoChildren"), SUBSCRIBED("\\Subscribed"), REMOTE("\\Remote"),
    ALL("\\All"), ARCHIVE("\\Archive"), DRAFTS("\\Drafts"), FLAGGED("\\Flagged"), JUNK("\\Junk"), SENT("\\Sent"),
    TRASH("\\Trash");

    private final String wireName;

    ListAttribute(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** The attribute of a special use. */
    public static ListAttribute of(SpecialUse use) {
        return switch (use) {
            case ALL -> ALL;
            case ARCHIVE -> ARCHIVE;
            case DRAFTS -> DRAFTS;
            case FLAGGED -> FLAGGED;
            case JUNK -> JUNK;
            case SENT -> SENT;
            case TRASH -> TRASH;
        };
    }

    /** \HasChildren or \HasNoChildren. */
    public static ListAttribute children(boolean hasChildren) {
        return hasChildren ? HAS_CHILDREN : HAS_NO_CHILDREN;
    }
}
