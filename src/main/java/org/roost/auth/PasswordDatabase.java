package org.roost.auth;

import java.io.IOException;
import java.util.Optional;

/** Where users and their stored passwords come from. */
public interface PasswordDatabase {
    Optional<UserRecord> lookup(String user);

    /** Re-reads the backing files now; on error the previous contents stay in force. */
    void reload() throws IOException;

    /** Number of users known now (for health checks and the admin API). */
    int size();
}
