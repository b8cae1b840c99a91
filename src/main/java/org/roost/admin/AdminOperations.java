package org.roost.admin;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the admin API can ask of the running server; implemented by the wiring, so admin knows no storage. */
public interface AdminOperations {
    /** A user as the password database knows it, without any secret. */
    record UserView(String name, String uid, String gid, String home, Map<String, String> extra,
            String passwordScheme, boolean noLogin) {}

    /** One mailbox of a user with its counters. */
    record MailboxSummary(String name, boolean selectable, long messages, long unseen, long recent, long size,
            long uidValidity, long uidNext) {}

    /** One user database's lookup cache (auth.cache). */
    record AuthCacheStats(String database, long entries, long hits, long misses) {}

    /** A user database or token service could not answer; the admin API says 503. */
    final class Unavailable extends IOException {
        public Unavailable(String message) {
            super(message);
        }
    }

    /** The shared index cache as operators watch it. */
    record CacheStats(long hits, long misses, long evictions, long rebuilds, long bytes, int mailboxes) {}

    Optional<UserView> user(String name) throws Unavailable;

    /** Up to {@code limit} user names from every database in order (Dovecot's iterate). */
    List<String> userNames(int limit) throws Unavailable;

    /** The SQL and LDAP lookup caches. */
    List<AuthCacheStats> authCaches();

    /** Forgets the cached lookups of one user, or all of them; returns how many were dropped. */
    long flushAuthCache(Optional<String> user);

    /** One quota resource: what is used and the limit (0: none). */
    record QuotaResource(long usage, long limit) {}

    /**
     * A user's quota (one root over all mailboxes): bytes and messages; {@code source} says where the limits
     * come from: {@code admin} (set here) or {@code policy} (the user database's quota_rule, else the default).
     */
    record QuotaView(String user, QuotaResource storage, QuotaResource messages, String source) {}

    /** Empty when the user is unknown. */
    Optional<QuotaView> quota(String user) throws IOException;

    /**
     * Sets the administrator's limits of {@code user} (0: none), which win over the user database's; with
     * {@code limits} empty, removes them. Empty when the user is unknown.
     */
    Optional<QuotaView> setQuota(String user, Optional<long[]> limits) throws IOException;

    /** How a reindex request ended, short of an I/O failure. */
    sealed interface Reindexed {
        /** The mailboxes whose index was rebuilt. */
        record Done(List<String> mailboxes) implements Reindexed {}

        record NoSuchUser() implements Reindexed {}

        record NoSuchMailbox() implements Reindexed {}

        /** {@code reason} says what is wrong with the name without repeating it. */
        record InvalidMailboxName(String reason) implements Reindexed {}
    }

    /** Rebuilds the index of one mailbox, or of all the user's mailboxes. */
    Reindexed reindex(String user, Optional<String> mailbox) throws IOException;

    CacheStats cacheStats();

    /** How a request to rebuild a user's full-text index ended, short of an I/O failure. */
    enum FullTextRebuild { QUEUED, NO_SUCH_USER, DISABLED }

    /** Forgets the user's full-text index and indexes every mailbox again, in the background. */
    FullTextRebuild rebuildFullText(String user) throws IOException;

    /** Empty when the user is unknown. */
    Optional<List<MailboxSummary>> mailboxes(String user) throws IOException;


    /**
     * One entry of a mailbox's ACL as {@code doveadm acl get} lists it: the identifier as a {@code dovecot-acl} file
     * writes it ({@code -} before it for negative rights), whether it comes from the global file, and the rights as
     * letters ({@code lrwstipekxa} order) and by Dovecot's names.
     */
    record AclEntryView(String id, boolean global, String rights, List<String> names) {}

    /** How an ACL request ended, short of an I/O failure. */
    sealed interface AclAnswer {
        /** The mailbox's ACL: its own entries, then the global ones for it. */
        record Entries(String user, String mailbox, List<AclEntryView> entries) implements AclAnswer {}

        /** What {@code requester} may do on the user's mailbox (the user themselves: MYRIGHTS). */
        record Held(String user, String mailbox, String requester, String rights, List<String> names)
                implements AclAnswer {}

        /** {@code name}: the user or the requester the password database does not know. */
        record NoSuchUser(String name) implements AclAnswer {}

        record NoSuchMailbox() implements AclAnswer {}

        /** {@code reason} says what is wrong with the mailbox name, identifier or rights. */
        record Invalid(String reason) implements AclAnswer {}

        /** This server keeps no ACLs ({@code acl.enabled: false}, or mail without mailbox directories). */
        record Off() implements AclAnswer {}
    }

    /** The ACL of one of the user's mailboxes. */
    AclAnswer acl(String user, String mailbox) throws IOException;

    /** Sets an entry's rights ({@code rights} as SETACL writes them); answers the ACL as it is now. */
    AclAnswer setAcl(String user, String mailbox, String id, String rights) throws IOException;

    /** Removes an entry's rights, or its negative rights ({@code -ID}); answers the ACL as it is now. */
    AclAnswer deleteAcl(String user, String mailbox, String id) throws IOException;

    /** The rights of {@code requester} (a user; empty: the mailbox's owner) on the user's mailbox. */
    AclAnswer rights(String user, String mailbox, Optional<String> requester) throws IOException;

    /** Re-reads the TLS certificate files now; true when a changed set is served from now on. */
    boolean reloadTls() throws IOException;

    /** Re-reads the password database now; returns the number of users. */
    int reloadPasswords() throws IOException;
}
