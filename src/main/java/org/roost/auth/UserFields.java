package org.roost.auth;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.roost.auth.sasl.Credential;

/**
 * Turns the fields a SQL row or an LDAP entry returned, named as Dovecot names them, into a {@link UserRecord}.
 *
 * <ul>
 * <li>{@code password}: kept when it starts with {@code {SCHEME}}, else prefixed with the database's default
 * scheme; {@code password_noscheme} is always prefixed (a hash that may itself start with '{'). No password: the
 * user cannot log in with one (unless the database checks passwords itself).
 * <li>{@code home}, {@code uid}, {@code gid}: the record's fields; {@code userdb_X} is field {@code X}.
 * <li>{@code nologin}, {@code allow_nets}, {@code mail}, {@code quota_rule} and any other field: kept as extra
 * fields.
 * <li>{@code host}, {@code port} and {@code destuser} without a {@code proxy} field: a login referral
 * ({@link Referral}), kept as extra fields, as Dovecot takes them.
 * <li>Fields Roost does not act on, logged once per database: proxying ({@code proxy}, and {@code host},
 * {@code destuser}… beside it, Roost is no proxy), {@code nopassword} (Roost never lets a user in without a password) and
 * {@code user} (sessions keep the name the client sent).
 * </ul>
 */
public final class UserFields {
    private static final System.Logger LOG = System.getLogger(UserFields.class.getName());
    private static final Set<String> PROXY_FIELDS = Set.of("proxy", "proxy_maybe", "proxy_always", "host", "hostip",
            "port", "destuser", "pass", "master", "director_tag", "proxy_timeout", "proxy_refresh", "proxy_mech",
            "proxy_not_trusted", "proxy_noauth", "source_ip", "ssl", "starttls", "login_max_inflight");
    /** The proxy fields a login referral takes when there is no {@code proxy} field (Dovecot's rule). */
    private static final Set<String> REFERRAL_FIELDS = Set.of("host", "port", "destuser");
    private static final Set<String> PROXYING = Set.of("proxy", "proxy_maybe", "proxy_always");
    private static final Set<String> UNUSED_FIELDS = Set.of("user", "nopassword");
    private static final Set<String> LOGGED = ConcurrentHashMap.newKeySet();

    private UserFields() {}

    /**
     * The user {@code name} from {@code fields} (names in any case; null values already left out);
     * {@code remoteCheck} is the database's own password check, used when no password field came back.
     */
    public static UserRecord record(String database, String name, Map<String, String> fields, String defaultScheme,
            Optional<Credential.PasswordCheck> remoteCheck) {
        var extra = new HashMap<String, String>();
        String password = null;
        boolean proxied = fields.keySet().stream().anyMatch(f -> PROXYING.contains(f.toLowerCase(Locale.ROOT)));
        for (var entry : fields.entrySet()) {
            var field = entry.getKey().toLowerCase(Locale.ROOT);
            var value = entry.getValue();
            if (field.equals("password")) {
                password = value.startsWith("{") && value.indexOf('}') > 1 ? value : "{" + defaultScheme + "}" + value;
            } else if (field.equals("password_noscheme")) {
                password = "{" + defaultScheme + "}" + value;
            } else if (PROXY_FIELDS.contains(field) && (proxied || !REFERRAL_FIELDS.contains(field))) {
                ignoredOnce(database, field, "Roost does not proxy");
            } else if (UNUSED_FIELDS.contains(field)) {
                ignoredOnce(database, field, field.equals("user") ? "sessions keep the name the client sent"
                        : "Roost never lets a user in without a password");
            } else {
                extra.put(field.startsWith("userdb_") ? field.substring(7) : field, value);
            }
        }
        Credential credential = password != null && !password.isEmpty() ? new Credential.Stored(password)
                : remoteCheck.<Credential>map(Credential.Remote::new).orElse(new Credential.Stored(""));
        var home = extra.remove("home");
        var uid = extra.remove("uid");
        var gid = extra.remove("gid");
        return new UserRecord(name, credential, orEmpty(uid), orEmpty(gid), orEmpty(home), Map.copyOf(extra));
    }

    private static String orEmpty(String value) {
        return value == null ? "" : value;
    }

    private static void ignoredOnce(String database, String field, String why) {
        if (LOGGED.add(database + ":" + field)) {
            LOG.log(Level.INFO, "user database {0}: field ''{1}'' is ignored: {2}", database, field, why);
        }
    }
}
