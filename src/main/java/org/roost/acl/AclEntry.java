package org.roost.acl;

import java.util.Comparator;

/**
 * What one identifier is given on a mailbox: rights, negative rights (RFC 4314 §2: taken away from what the
 * others give), or both; null where the entry says nothing (which is not the same as an empty set: an entry
 * with an empty set replaces what an earlier kind gave). {@code global} entries come from the global ACL file,
 * override the mailbox's own, and no client can change them.
 */
public record AclEntry(Identifier identifier, Rights rights, Rights negative, boolean global) {
    /** Dovecot's order: the mailbox's own entries, then the global ones; by kind; by name. */
    static final Comparator<AclEntry> ORDER = Comparator.comparing(AclEntry::global)
            .thenComparingInt(e -> e.identifier().rank())
            .thenComparing(e -> e.identifier().name());

    public AclEntry {
        if (rights == null && negative == null) {
            throw new IllegalArgumentException("an ACL entry gives or takes something");
        }
    }

    /** Whether the two are about the same identifier in the same file. */
    boolean sameKey(AclEntry other) {
        return global == other.global && identifier.equals(other.identifier);
    }

    /** Both entries' rights and negative rights together (Dovecot merges the lines of one identifier so). */
    AclEntry merge(AclEntry other) {
        return new AclEntry(identifier, union(rights, other.rights), union(negative, other.negative), global);
    }

    private static Rights union(Rights a, Rights b) {
        return a == null ? b : b == null ? a : a.plus(b);
    }
}
