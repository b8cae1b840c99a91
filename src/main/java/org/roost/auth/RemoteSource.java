package org.roost.auth;

/** A database asked over the network at each lookup (SQL, LDAP): it can be cached, and must be closed. */
public interface RemoteSource extends PasswordDatabase, AutoCloseable {

    /**
     * The query with only what this database's queries use (the service and client address only when a query
     * names {@code %s} or {@code %r}), so that equal keys always get equal answers from a cache.
     */
    UserQuery relevant(UserQuery query);

    /** Releases the connections. */
    @Override
    void close();
}
