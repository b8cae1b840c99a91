package org.roost.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.config.DataSize;
import org.roost.config.RoostConfig;
import org.roost.delivery.KnownUsers;
import org.roost.index.Quotas;
import org.roost.mail.QuotaLimit;
import org.roost.mail.QuotaRule;

/**
 * A user's quota limits as the user database gives them, like Dovecot's userdb fields: {@code quota_rule},
 * {@code quota_rule2}, … (in a passwd-file: {@code userdb_quota_rule=*:storage=1G}), applied in that order over
 * the configured defaults ({@code quota.storage}, {@code quota.messages}). A rule Roost cannot apply is logged
 * once and skipped, so the defaults hold for it.
 */
final class UserQuotaPolicy implements Quotas.Policy {
    private static final System.Logger LOG = System.getLogger(UserQuotaPolicy.class.getName());
    private final PasswordDatabase users;
    private final QuotaLimit defaults;
    private final Set<String> reported = ConcurrentHashMap.newKeySet();

    UserQuotaPolicy(PasswordDatabase users, RoostConfig.Quota quota) {
        this.users = users;
        this.defaults = new QuotaLimit(DataSize.parse(quota.storage(), 1), quota.messages());
    }

    /** A user database that cannot answer makes the addition fail for now (the MTA tries again). */
    @Override
    public QuotaLimit limit(String user) throws IOException {
        Optional<UserRecord> record;
        try {
            record = users.user(UserQuery.internal(user));
        } catch (DatabaseUnavailable e) {
            throw new IOException(e.getMessage(), e);
        }
        if (record.isEmpty()) {
            return defaults;
        }
        var limit = defaults;
        for (var rule : rules(record.get().extra())) {
            try {
                limit = QuotaRule.apply(rule.getValue(), limit);
            } catch (IllegalArgumentException e) {
                if (reported.add(user + "\0" + rule.getValue())) {
                    LOG.log(Level.WARNING, "user {0}: quota rule skipped: {1}", user, e.getMessage());
                }
            }
        }
        return limit;
    }

    /**
     * Who may receive mail: the users {@code users} knows (Dovecot's userdb lookup), asked for {@code service};
     * a database that cannot answer is a temporary failure, never "no such user".
     */
    static KnownUsers knownUsers(PasswordDatabase users, String service) {
        return name -> {
            try {
                return users.user(new UserQuery(name, service, null)).isPresent();
            } catch (DatabaseUnavailable e) {
                throw new KnownUsers.Unavailable(e.getMessage());
            }
        };
    }

    /** {@code quota_rule}, {@code quota_rule2}, … with or without Dovecot's {@code userdb_} prefix, in order. */
    private static List<Map.Entry<String, String>> rules(Map<String, String> extra) {
        return extra.entrySet().stream()
                .filter(e -> ruleNumber(e.getKey()) >= 0)
                .sorted(Comparator.comparingInt(e -> ruleNumber(e.getKey())))
                .toList();
    }

    private static int ruleNumber(String key) {
        var name = key.startsWith("userdb_") ? key.substring("userdb_".length()) : key;
        if (!name.startsWith("quota_rule")) {
            return -1;
        }
        var suffix = name.substring("quota_rule".length());
        if (suffix.isEmpty()) {
            return 1;
        }
        return suffix.matches("[2-9]|[1-9][0-9]") ? Integer.parseInt(suffix) : -1;
    }
}
