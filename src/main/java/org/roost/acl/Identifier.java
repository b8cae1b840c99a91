package org.roost.acl;

import java.util.function.Function;

/**
 * Whom an ACL entry is about (RFC 4314 §2), in Dovecot's kinds. {@link #rank()} is Dovecot's override order:
 * among the entries that apply to a user, a later kind replaces what an earlier one gave, so a user's own entry
 * wins over a group's and {@code anyone}'s, and a group-override over the user's.
 */
public sealed interface Identifier {

    /** Dovecot's {@code enum acl_id_type} order. */
    int rank();

    /** How a {@code dovecot-acl} file writes it. */
    String fileForm();

    /** How an ACL response and SETACL write it (RFC 4314 §3; groups with Dovecot's {@code $} and {@code !$}). */
    String imapForm();

    /** The user or group name; {@code ""} for the kinds without one. */
    default String name() {
        return "";
    }

    /** Whether the entry applies to {@code who}. */
    boolean appliesTo(Requester who);

    record Anyone() implements Identifier {
        public int rank() {
            return 0;
        }

        public String fileForm() {
            return "anyone";
        }

        public String imapForm() {
            return "anyone";
        }

        public boolean appliesTo(Requester who) {
            return true;
        }
    }

    /** Every user who logged in: all of Roost's users. */
    record Authenticated() implements Identifier {
        public int rank() {
            return 1;
        }

        public String fileForm() {
            return "authenticated";
        }

        public String imapForm() {
            return "authenticated";
        }

        public boolean appliesTo(Requester who) {
            return true;
        }
    }

    record Group(String name) implements Identifier {
        public int rank() {
            return 2;
        }

        public String fileForm() {
            return "group=" + name;
        }

        public String imapForm() {
            return "$" + name;
        }

        public boolean appliesTo(Requester who) {
            return who.groups().contains(name);
        }
    }

    record Owner() implements Identifier {
        public int rank() {
            return 3;
        }

        public String fileForm() {
            return "owner";
        }

        public String imapForm() {
            return "owner";
        }

        public boolean appliesTo(Requester who) {
            return who.owner();
        }
    }

    record User(String name) implements Identifier {
        public int rank() {
            return 4;
        }

        public String fileForm() {
            return "user=" + name;
        }

        public String imapForm() {
            return name;
        }

        public boolean appliesTo(Requester who) {
            return who.user().equals(name);
        }
    }

    /** A group whose rights override the members' own entries. */
    record GroupOverride(String name) implements Identifier {
        public int rank() {
            return 5;
        }

        public String fileForm() {
            return "group-override=" + name;
        }

        public String imapForm() {
            return "!$" + name;
        }

        public boolean appliesTo(Requester who) {
            return who.groups().contains(name);
        }
    }

    /**
     * An identifier as a {@code dovecot-acl} file writes it (without a {@code -}).
     *
     * @throws IllegalArgumentException when it is none
     */
    static Identifier parseFile(String text) {
        if (text.startsWith("user=")) {
            return named(text.substring(5), User::new);
        } else if (text.startsWith("group=")) {
            return named(text.substring(6), Group::new);
        } else if (text.startsWith("group-override=")) {
            return named(text.substring(15), GroupOverride::new);
        }
        return switch (text) {
            case "owner" -> new Owner();
            case "authenticated" -> new Authenticated();
            case "anyone", "anonymous" -> new Anyone();
            default -> throw new IllegalArgumentException("Unknown ID");
        };
    }

    /**
     * An identifier a client sent (SETACL, DELETEACL, LISTRIGHTS), without a {@code -}: anything that is no other
     * kind is a user name.
     *
     * @throws IllegalArgumentException for an empty name or Dovecot's {@code #} of global entries, which no client
     *                                  may change
     */
    static Identifier parseImap(String text) {
        if (text.isEmpty() || text.startsWith("#")) {
            throw new IllegalArgumentException(text.isEmpty() ? "Empty identifier"
                    : "Global ACLs can't be modified");
        }
        if (text.startsWith("!$")) {
            return named(text.substring(2), GroupOverride::new);
        } else if (text.startsWith("$")) {
            return named(text.substring(1), Group::new);
        }
        return switch (text) {
            case "owner" -> new Owner();
            case "authenticated" -> new Authenticated();
            case "anyone" -> new Anyone();
            default -> named(text, User::new);
        };
    }

    /** A name with a line end would write a line of its own into a {@code dovecot-acl} file: none is taken. */
    private static Identifier named(String name, Function<String, Identifier> kind) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Empty identifier name");
        }
        if (name.chars().anyMatch(c -> c < ' ' || c == 0x7f)) {
            throw new IllegalArgumentException("Control characters are not allowed in identifiers");
        }
        return kind.apply(name);
    }
}
