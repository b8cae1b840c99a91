package org.roost.index;

import java.util.HexFormat;
import org.roost.storage.UserLocation;

/**
 * The namespaces of RFC 2342 a session sees besides its own mailboxes: the other users' ({@code Shared.bob.INBOX},
 * Dovecot's {@code shared/%u} layout, with the hierarchy delimiter of the user's own mail) and where names lead.
 * In a user's segment the delimiter and {@code \} are written {@code \}+two hex digits (Dovecot's listescape
 * form), so that {@code alice.smith}'s mailboxes are {@code Shared.alice\2esmith.INBOX} and every user name has
 * exactly one segment.
 *
 * The public namespace ({@code Public.News}) is one Maildir of its own, which nobody owns: its mailboxes give the
 * rights their ACLs give to anyone but an owner.
 *
 * @param sharedPrefix the other users' namespace ({@code Shared}), without the delimiter; null when off
 * @param owners       who shares with whom, for LIST
 * @param publicPrefix the public namespace ({@code Public}), without the delimiter; null when off
 * @param publicMail   where the public mailboxes are (its user is {@link #PUBLIC_USER}); null when off
 * @param privateFlags the system flags ({@code 1 << flag.ordinal()}) each user keeps of their own in these namespaces
 *                     ({@link PrivateFlags}); 0: none, every flag is the mailbox's
 */
public record Namespaces(String sharedPrefix, SharedOwners owners, String publicPrefix, UserLocation publicMail,
                         int privateFlags) {
    /** The public mail's user, in logs and for its quota: a name no user database gives ({@code #}, like a global ACL). */
    public static final String PUBLIC_USER = "#public";
    private static final char ESCAPE = '\\';

    /** Where a name leads. */
    sealed interface Place {}

    /** One of the user's own mailboxes. */
    record Own(String name) implements Place {}

    /** Mailbox {@code name} of user {@code owner}. */
    record Foreign(String owner, String name) implements Place {}

    /** Mailbox {@code name} of the public namespace. */
    record Public(String name) implements Place {}

    /** No mailbox: a namespace's own node ({@code Shared}, {@code Shared.bob}) or a name no user can have. */
    record Nowhere() implements Place {}

    private static final Nowhere NOWHERE = new Nowhere();

    /** The namespace {@code name} lies in, and its name there. */
    Place place(String name, char delimiter) {
        if (publicPrefix != null && name.startsWith(publicPrefix)) {
            if (name.length() == publicPrefix.length() || name.length() == publicPrefix.length() + 1
                    && name.charAt(publicPrefix.length()) == delimiter) {
                return NOWHERE;
            }
            if (name.charAt(publicPrefix.length()) == delimiter) {
                return new Public(name.substring(publicPrefix.length() + 1));
            }
        }
        if (sharedPrefix == null || !name.startsWith(sharedPrefix)) {
            return new Own(name);
        }
        if (name.length() == sharedPrefix.length()) {
            return NOWHERE;
        }
        if (name.charAt(sharedPrefix.length()) != delimiter) {
            return new Own(name);
        }
        int start = sharedPrefix.length() + 1;
        int end = name.indexOf(delimiter, start);
        if (end < 0 || end == name.length() - 1) {
            return NOWHERE;
        }
        var owner = decode(name.substring(start, end), delimiter);
        return owner == null ? NOWHERE : new Foreign(owner, name.substring(end + 1));
    }

    /** Whether a name of the user's own would be taken for one of this namespace (and so cannot be made). */
    boolean reserves(String name, char delimiter) {
        return !(place(name, delimiter) instanceof Own);
    }

    /** The node of {@code owner} in the other users' namespace ({@code Shared.bob}). */
    String ownerNode(String owner, char delimiter) {
        return sharedPrefix + delimiter + encode(owner, delimiter);
    }

    /** {@code owner}'s mailbox {@code name} as the other users name it. */
    String sharedName(String owner, String name, char delimiter) {
        return ownerNode(owner, delimiter) + delimiter + name;
    }

    /** The public mailbox {@code name} as users name it. */
    String publicName(String name, char delimiter) {
        return publicPrefix + delimiter + name;
    }

    static String encode(String owner, char delimiter) {
        var out = new StringBuilder(owner.length() + 8);
        for (int i = 0; i < owner.length(); i++) {
            char c = owner.charAt(i);
            if (c == delimiter || c == ESCAPE) {
                out.append(ESCAPE).append(HexFormat.of().toHexDigits((byte) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The user name a segment writes, or null when it writes none (a stray {@code \}, an escape of another character). */
    static String decode(String segment, char delimiter) {
        var out = new StringBuilder(segment.length());
        for (int i = 0; i < segment.length(); i++) {
            char c = segment.charAt(i);
            if (c != ESCAPE) {
                out.append(c);
                continue;
            }
            if (i + 3 > segment.length()) {
                return null;
            }
            int value;
            try {
                value = HexFormat.fromHexDigits(segment, i + 1, i + 3);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (value != delimiter && value != ESCAPE) {
                return null;
            }
            out.append((char) value);
            i += 2;
        }
        return out.isEmpty() ? null : out.toString();
    }
}
