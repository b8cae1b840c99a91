package org.roost.acl;

/**
 * One right of RFC 4314 §2.1, with its letter and the name Dovecot gives it (in {@code dovecot-acl} files after
 * {@code ':'} and in its API). Declared in Dovecot's order of the letters, {@code lrwstipekxa}, which is the order
 * MYRIGHTS answers in.
 */
public enum Right {
    LOOKUP('l', "lookup"),
    READ('r', "read"),
    WRITE('w', "write"),
    WRITE_SEEN('s', "write-seen"),
    WRITE_DELETED('t', "write-deleted"),
    INSERT('i', "insert"),
    POST('p', "post"),
    EXPUNGE('e', "expunge"),
    CREATE('k', "create"),
    DELETE('x', "delete"),
    ADMIN('a', "admin");

    private final char letter;
    private final String dovecotName;

    Right(char letter, String dovecotName) {
        this.letter = letter;
        this.dovecotName = dovecotName;
    }

    public char letter() {
        return letter;
    }

    public String dovecotName() {
        return dovecotName;
    }

    /** The right of a letter; null for a letter that is none (the obsolete {@code c} and {@code d} included). */
    public static Right ofLetter(char letter) {
        for (var right : values()) {
            if (right.letter == letter) {
                return right;
            }
        }
        return null;
    }

    /** The right Dovecot names so; null for a name it is not. */
    public static Right ofDovecotName(String name) {
        for (var right : values()) {
            if (right.dovecotName.equals(name)) {
                return right;
            }
        }
        return null;
    }
}
