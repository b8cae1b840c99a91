package org.roost.config;

import static org.roost.config.ConfigValidator.positive;
import static org.roost.config.ConfigValidator.require;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/** The checks of {@code mail.postgres} and {@code mail.s3}, which a {@code postgres:} location needs. */
final class PostgresStoreRules {
    /** An APPEND's body waits at most this long between its upload and its row: the grace stays above it. */
    private static final Duration MIN_BODY_GRACE = Duration.ofMinutes(5);
    private static final Duration MIN_COLLECT_INTERVAL = Duration.ofSeconds(10);
    private static final int MIN_EXPUNGED = 10;
    private static final long MIN_BODY_CACHE = 1024 * 1024;
    private static final int MAX_EXPUNGED = 100_000_000;
    /** S3's bucket naming rules (3 to 63 lower-case letters, digits, dots and hyphens). */
    private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

    private PostgresStoreRules() {}

    static void check(List<String> problems, RoostConfig.Mail mail) {
        if (mail.postgres() == null || mail.s3() == null) {
            problems.add("mail.postgres/s3: must be mappings (leave them out for the defaults)");
            return;
        }
        if (mail.location() == null || !mail.location().startsWith("postgres:")) {
            return;
        }
        postgres(problems, mail.postgres());
        s3(problems, mail.s3());
    }

    private static void postgres(List<String> problems, RoostConfig.Postgres p) {
        var url = p.url() == null ? "" : p.url();
        require(problems, url.startsWith("jdbc:postgresql://"), "mail.postgres.url",
                "must be a jdbc:postgresql://HOST[:PORT]/DATABASE URL");
        require(problems, !url.toLowerCase(Locale.ROOT).contains("password="), "mail.postgres.url",
                "must not hold the password (it would be logged): use mail.postgres.password or passwordFile");
        require(problems, p.user() != null && !p.user().isBlank(), "mail.postgres.user", "must be set");
        UserDatabaseRules.secret(problems, "mail.postgres.password", p.password(), p.passwordFile());
        UserDatabaseRules.pool(problems, "mail.postgres", p.poolSize(), p.timeout());
        require(problems, p.bodyGrace() != null && p.bodyGrace().compareTo(MIN_BODY_GRACE) >= 0, "mail.postgres.bodyGrace",
                "must be at least " + MIN_BODY_GRACE.toMinutes() + "m (an unreferenced body younger than it may be an"
                        + " APPEND's in flight)");
        require(problems, positive(p.collectInterval()) && p.collectInterval().compareTo(MIN_COLLECT_INTERVAL) >= 0,
                "mail.postgres.collectInterval", "must be at least 10s");
        require(problems, p.maxExpunged() >= MIN_EXPUNGED && p.maxExpunged() <= MAX_EXPUNGED, "mail.postgres.maxExpunged",
                "must be " + MIN_EXPUNGED + "–" + MAX_EXPUNGED);
        require(problems, p.bodyCacheBytes() == 0 || p.bodyCacheBytes() >= MIN_BODY_CACHE, "mail.postgres.bodyCacheBytes",
                "must be 0 (no cache) or at least " + MIN_BODY_CACHE + " (1 MiB)");
    }

    private static void s3(List<String> problems, RoostConfig.S3 s) {
        require(problems, s.bucket() != null && BUCKET.matcher(s.bucket()).matches(), "mail.s3.bucket",
                "must be an S3 bucket name (3 to 63 of a-z, 0-9, '.', '-')");
        require(problems, s.region() != null && !s.region().isBlank(), "mail.s3.region", "must be set");
        require(problems, s.endpoint() == null || endpoint(s.endpoint()), "mail.s3.endpoint",
                "must be an http:// or https:// URL without user or path");
        require(problems, (s.accessKey() == null) == (s.secretKey() == null && s.secretKeyFile() == null),
                "mail.s3.accessKey", "give it with mail.s3.secretKey or secretKeyFile, or neither (then the"
                        + " environment's AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)");
        UserDatabaseRules.secret(problems, "mail.s3.secretKey", s.secretKey(), s.secretKeyFile());
        require(problems, positive(s.timeout()) && s.timeout().compareTo(Duration.ofMinutes(10)) <= 0, "mail.s3.timeout",
                "must be positive and at most 10m");
    }

    private static boolean endpoint(String text) {
        try {
            var uri = new URI(text);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null
                    && uri.getUserInfo() == null && (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"));
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
