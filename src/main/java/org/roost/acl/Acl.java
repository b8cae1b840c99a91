package org.roost.acl;

import java.util.ArrayList;
import java.util.List;

/**
 * The access control list of one mailbox: its own entries and the global ones that match it, in Dovecot's order,
 * one entry per identifier and file. Immutable; the changes SETACL and DELETEACL make give a new one.
 */
public record Acl(List<AclEntry> entries) {
    public static final Acl EMPTY = new Acl(List.of());

    public Acl {
        entries = sortedAndMerged(entries);
    }

    /** How SETACL changes a side of an entry (RFC 4314 §3.1: no prefix, {@code +} or {@code -}). */
    public enum Change { REPLACE, ADD, REMOVE }

    /** The entries of the mailbox itself, those its {@code dovecot-acl} file holds. */
    public List<AclEntry> local() {
        return entries.stream().filter(e -> !e.global()).toList();
    }

    /**
     * The rights {@code who} has, as Dovecot works them out: walking the matching entries in order, each kind
     * replaces what the kinds before it gave (entries of one kind, several groups, add up), and the first global
     * entry starts the negative rights afresh; the owner starts from all rights and is not bound by the entries of
     * {@code anyone}, {@code authenticated} and groups in the mailbox's own file. Negative rights are taken away
     * last. When no entry applies, the owner has every right and anyone else none.
     */
    public Rights rightsOf(Requester who) {
        Rights positive = null;
        Rights negative = null;
        int start = 0;
        if (who.owner()) {
            while (start < entries.size() && entries.get(start).identifier().rank() < new Identifier.Owner().rank()
                    && !entries.get(start).global()) {
                start++;
            }
            positive = Rights.ALL;
            negative = Rights.NONE;
        }
        AclEntry previous = null;
        boolean firstGlobal = true;
        for (var entry : entries.subList(start, entries.size())) {
            if (!entry.identifier().appliesTo(who)) {
                continue;
            }
            boolean replace = previous == null || previous.identifier().rank() != entry.identifier().rank()
                    || previous.global() != entry.global();
            previous = entry;
            positive = apply(positive, entry.rights(), replace);
            if (entry.global() && firstGlobal) {
                firstGlobal = false;
                negative = entry.negative(); // so that the mailbox's own file cannot undo a global entry
            } else {
                negative = apply(negative, entry.negative(), replace);
            }
        }
        if (positive == null && negative == null) {
            return who.owner() ? Rights.ALL : Rights.NONE;
        }
        var given = positive == null ? Rights.NONE : positive;
        return negative == null ? given : given.minus(negative);
    }

    private static Rights apply(Rights current, Rights change, boolean replace) {
        if (change == null) {
            return current;
        }
        return replace || current == null ? change : current.plus(change);
    }

    /**
     * SETACL (RFC 4314 §3.1) on the mailbox's own entries: {@code negative} for an identifier written with
     * {@code -}, whose negative rights change.
     */
    public Acl set(Identifier identifier, boolean negative, Change change, Rights rights) {
        var existing = find(identifier);
        Rights side = existing == null ? null : negative ? existing.negative() : existing.rights();
        Rights changed = switch (change) {
            case REPLACE -> rights;
            case ADD -> side == null ? rights : side.plus(rights);
            case REMOVE -> side == null ? null : side.minus(rights);
        };
        return withSide(identifier, negative, existing, changed);
    }

    /** DELETEACL (RFC 4314 §3.2): the identifier's rights (or, {@code negative}, its negative rights) go. */
    public Acl delete(Identifier identifier, boolean negative) {
        return withSide(identifier, negative, find(identifier), null);
    }

    private Acl withSide(Identifier identifier, boolean negative, AclEntry existing, Rights side) {
        Rights rights = existing == null ? null : existing.rights();
        Rights negatives = existing == null ? null : existing.negative();
        if (negative) {
            negatives = side;
        } else {
            rights = side;
        }
        var changed = new ArrayList<>(entries);
        changed.remove(existing);
        if (rights != null || negatives != null) {
            changed.add(new AclEntry(identifier, rights, negatives, false));
        }
        return new Acl(changed);
    }

    /** The mailbox's own entry of {@code identifier}, or null. */
    public AclEntry find(Identifier identifier) {
        return entries.stream().filter(e -> !e.global() && e.identifier().equals(identifier)).findFirst()
                .orElse(null);
    }

    private static List<AclEntry> sortedAndMerged(List<AclEntry> entries) {
        var sorted = new ArrayList<>(entries);
        sorted.sort(AclEntry.ORDER);
        var merged = new ArrayList<AclEntry>(sorted.size());
        for (var entry : sorted) {
            int last = merged.size() - 1;
            if (last >= 0 && merged.get(last).sameKey(entry)) {
                merged.set(last, merged.get(last).merge(entry));
            } else {
                merged.add(entry);
            }
        }
        return List.copyOf(merged);
    }
}
