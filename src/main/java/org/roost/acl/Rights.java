package org.roost.acl;

import java.util.EnumSet;
import java.util.Set;

/**
 * A set of {@link Right}s, immutable. RFC 4314 §2.1.1 with {@code RIGHTS=texk}: the obsolete {@code c} stands for
 * {@code kx} and {@code d} for {@code et} on input, and each is added on output when one of its members is there.
 */
public record Rights(Set<Right> set) {
    public static final Rights NONE = new Rights(EnumSet.noneOf(Right.class));
    public static final Rights ALL = new Rights(EnumSet.allOf(Right.class));
    /** The order Dovecot keeps rights in once read or merged: by their names ({@code admin}, {@code create}...). */
    private static final String BY_NAME = "akxeilprwts";

    public Rights {
        set = set.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(set));
    }

    /** A rights list a client sent (SETACL, RFC 4314 §3.1), without its {@code +}/{@code -} prefix. */
    public static Rights parseImap(String letters) throws InvalidRights {
        var rights = EnumSet.noneOf(Right.class);
        for (int i = 0; i < letters.length(); i++) {
            char letter = letters.charAt(i);
            switch (letter) {
                case 'c' -> rights.addAll(EnumSet.of(Right.CREATE, Right.DELETE));
                case 'd' -> rights.addAll(EnumSet.of(Right.EXPUNGE, Right.WRITE_DELETED));
                default -> {
                    var right = Right.ofLetter(letter);
                    if (right == null) {
                        throw new InvalidRights(Character.isUpperCase(letter) ? "Uppercase rights are not allowed"
                                : "The " + printable(letter) + " right is not supported");
                    }
                    rights.add(right);
                }
            }
        }
        return new Rights(rights);
    }

    public static Rights of(Right... rights) {
        return rights.length == 0 ? NONE : new Rights(EnumSet.of(rights[0], rights));
    }

    public boolean has(Right right) {
        return set.contains(right);
    }

    public boolean isEmpty() {
        return set.isEmpty();
    }

    public Rights plus(Rights other) {
        var union = EnumSet.noneOf(Right.class);
        union.addAll(set);
        union.addAll(other.set);
        return new Rights(union);
    }

    public Rights minus(Rights other) {
        var rest = EnumSet.noneOf(Right.class);
        rest.addAll(set);
        rest.removeAll(other.set);
        return new Rights(rest);
    }

    /** MYRIGHTS' form: {@code lrwstipekxa} order, then {@code c} and {@code d}; {@code ""} for none. */
    public String myRightsLetters() {
        return withObsolete(new StringBuilder(letters()));
    }

    /** The letters in {@code lrwstipekxa} order, no obsolete ones (may be empty). */
    public String letters() {
        var letters = new StringBuilder();
        for (var right : Right.values()) {
            if (has(right)) {
                letters.append(right.letter());
            }
        }
        return letters.toString();
    }

    /** An ACL response's form, in the order Dovecot lists a stored entry, then {@code c} and {@code d}. */
    public String aclLetters() {
        return withObsolete(new StringBuilder(fileLetters()));
    }

    /** The letters as Dovecot writes them in a {@code dovecot-acl} file (no obsolete ones; may be empty). */
    public String fileLetters() {
        var letters = new StringBuilder();
        for (int i = 0; i < BY_NAME.length(); i++) {
            if (has(Right.ofLetter(BY_NAME.charAt(i)))) {
                letters.append(BY_NAME.charAt(i));
            }
        }
        return letters.toString();
    }

    private String withObsolete(StringBuilder letters) {
        if (has(Right.CREATE) || has(Right.DELETE)) {
            letters.append('c');
        }
        if (has(Right.EXPUNGE) || has(Right.WRITE_DELETED)) {
            letters.append('d');
        }
        return letters.isEmpty() ? "\"\"" : letters.toString();
    }

    private static String printable(char letter) {
        return letter > ' ' && letter < 0x7f ? String.valueOf(letter) : String.format("\\u%04x", (int) letter);
    }

    @Override
    public String toString() {
        return fileLetters();
    }

    /** A rights list with a letter that is no right: the client's command is BAD (RFC 4314 §3.1). */
    public static final class InvalidRights extends Exception {
        public InvalidRights(String message) {
            super(message, null, false, false);
        }
    }
}
