package org.roost.mail;

import java.util.Locale;
import org.roost.config.DataSize;

/**
 * Dovecot's quota rules as user databases carry them ({@code quota_rule=*:storage=1G},
 * {@code quota_rule2=*:messages=10000}): a mailbox pattern, then {@code storage=} (kilobytes unless a
 * b/k/M/G/T suffix says otherwise), {@code bytes=} (bytes), {@code messages=}, or {@code ignore}/{@code none}
 * (no limit). Roost keeps one quota root per user over all mailboxes, so only rules for {@code *} apply; a
 * rule for one mailbox ({@code Trash:storage=+100M}) and a relative or percentage value are refused.
 */
public final class QuotaRule {
    private QuotaRule() {}

    /**
     * {@code base} with the rule applied.
     *
     * @throws IllegalArgumentException naming what Roost cannot apply
     */
    public static QuotaLimit apply(String rule, QuotaLimit base) {
        int colon = rule.indexOf(':');
        if (colon < 0 || !rule.substring(0, colon).strip().equals("*")) {
            throw new IllegalArgumentException("only rules for all mailboxes ('*:...') apply, not '" + rule + "'");
        }
        var limit = base;
        for (var setting : rule.substring(colon + 1).strip().split("\\s+")) {
            limit = applySetting(setting, limit, rule);
        }
        return limit;
    }

    private static QuotaLimit applySetting(String setting, QuotaLimit limit, String rule) {
        var lower = setting.toLowerCase(Locale.ROOT);
        if (lower.equals("ignore") || lower.equals("none") || lower.isEmpty()) {
            return lower.isEmpty() ? limit : QuotaLimit.NONE;
        }
        int eq = lower.indexOf('=');
        var value = eq < 0 ? "" : lower.substring(eq + 1);
        if (value.startsWith("+") || value.startsWith("-") || value.endsWith("%")) {
            throw new IllegalArgumentException("relative and percentage limits are not supported: '" + rule + "'");
        }
        return switch (eq < 0 ? lower : lower.substring(0, eq)) {
            case "storage" -> new QuotaLimit(DataSize.parse(value, 1024), limit.messages());
            case "bytes" -> new QuotaLimit(DataSize.parse(value, 1), limit.messages());
            case "messages" -> new QuotaLimit(limit.storage(), parseCount(value, rule));
            default -> throw new IllegalArgumentException("unknown quota setting in '" + rule + "'");
        };
    }

    private static long parseCount(String value, String rule) {
        try {
            long count = Long.parseLong(value);
            if (count >= 0) {
                return count;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException("messages= must be a count in '" + rule + "'");
    }
}
