package org.roost.acl;

import java.util.function.UnaryOperator;

/**
 * One identifier's entry as an administrator names it ({@code doveadm acl set|delete}): the identifier as a
 * {@code dovecot-acl} file writes it ({@code user=NAME}, {@code group=NAME}, {@code owner}, {@code anyone}...), with
 * {@code -} before it for its negative rights. Unlike a client's SETACL, the administrator may give {@code anyone}
 * and {@code authenticated} rights, as doveadm may.
 */
public record AclChange(Identifier identifier, boolean negative) {
    /** Longer identifiers are refused: no user database has names this long, and each is a line of the file. */
    public static final int MAX_ID_LENGTH = 255;

    /** @throws IllegalArgumentException saying what is wrong with {@code id} */
    public static AclChange of(String id) {
        if (id.length() > MAX_ID_LENGTH) {
            throw new IllegalArgumentException("The identifier is longer than " + MAX_ID_LENGTH + " characters");
        }
        boolean negative = id.startsWith("-");
        var written = negative ? id.substring(1) : id;
        if (written.startsWith("#")) {
            throw new IllegalArgumentException("Global ACLs can't be modified");
        }
        try {
            return new AclChange(Identifier.parseFile(written), negative);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().equals("Unknown ID") ? "Unknown identifier; write"
                    + " user=NAME, group=NAME, group-override=NAME, owner, authenticated or anyone" : e.getMessage());
        }
    }

    /** The identifier as it was named: {@code -} before it for its negative rights. */
    public String id() {
        return (negative ? "-" : "") + identifier.fileForm();
    }

    /**
     * The change that sets the entry's rights as SETACL writes them (RFC 4314 §3.1): letters replace them,
     * {@code +letters} adds to them, {@code -letters} takes away from them; {@code c} and {@code d} as §2.1.1.
     */
    public UnaryOperator<Acl> set(String rights) throws Rights.InvalidRights {
        var change = rights.startsWith("+") ? Acl.Change.ADD
                : rights.startsWith("-") ? Acl.Change.REMOVE : Acl.Change.REPLACE;
        var letters = Rights.parseImap(change == Acl.Change.REPLACE ? rights : rights.substring(1));
        return acl -> acl.set(identifier, negative, change, letters);
    }

    /** The change that removes the entry's rights (or negative rights), like DELETEACL. */
    public UnaryOperator<Acl> delete() {
        return acl -> acl.delete(identifier, negative);
    }
}
