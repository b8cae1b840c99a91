package org.roost.auth;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Where users come from: a passwd-file, the system's users, SQL, LDAP. Lookups that cannot be answered throw
 * {@link DatabaseUnavailable}; an empty answer always means "no such user".
 */
public interface PasswordDatabase {

    /** Its name in {@code auth.databases}: a metrics label and a health check name. */
    String name();

    /** The user as a login needs them (Dovecot's passdb lookup): the credential and who may log in from where. */
    Optional<UserRecord> lookup(UserQuery query);

    /** The user with every field (Dovecot's userdb lookup), for the admin API and token logins. */
    default Optional<UserRecord> user(UserQuery query) {
        return lookup(query);
    }

    /** Up to {@code limit} user names in the database's order (Dovecot's iterate), for the admin API. */
    List<String> userNames(int limit);

    /** Whether the database answers now, and what it holds or where it is (shown to the admin only). */
    Status status();

    /** Re-reads backing files now; on error the previous contents stay in force. */
    void reload() throws IOException;

    record Status(boolean up, String detail) {}
}
