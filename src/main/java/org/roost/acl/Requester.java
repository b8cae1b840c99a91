package org.roost.acl;

import java.util.Set;

/**
 * Who asks for rights: a logged-in user, the groups the user database gives them (Dovecot's {@code acl_groups}),
 * and whether the mailbox is their own.
 */
public record Requester(String user, Set<String> groups, boolean owner) {

    public Requester {
        groups = Set.copyOf(groups);
    }
}
