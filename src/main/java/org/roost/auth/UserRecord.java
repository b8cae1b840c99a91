package org.roost.auth;

import java.util.Map;
import java.util.Optional;

/** One user of a password database (Dovecot passwd-file fields); {@code password} keeps its {SCHEME} prefix. */
public record UserRecord(String name, String password, String uid, String gid, String home, Map<String, String> extra) {

    public Optional<String> extraField(String key) {
        return Optional.ofNullable(extra.get(key));
    }

    /** Dovecot's {@code nologin} extra field: the user may not log in. */
    public boolean noLogin() {
        return extra.containsKey("nologin");
    }

    @Override
    public String toString() {
        return "UserRecord[" + name + "]";
    }
}
