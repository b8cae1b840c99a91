package org.roost.auth.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.Optional;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.Deadlines;
import org.roost.auth.HealthWatch;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.TokenService;
import org.roost.auth.sasl.TokenCheck;
import org.roost.config.RoostConfig;

/**
 * {@code auth.oauth2}: a JWT is checked locally when {@code jwksUrl} is set ({@link JwtTokens}); any other
 * token, or every token without a JWKS, is introspected ({@link Introspection}) and the verdict kept for
 * {@code cacheTtl} (never past the token's {@code exp}) under the token's SHA-256, at most {@code auth.cache.size}
 * of them. Every call is bounded by {@code timeout}; a provider that cannot answer makes the login temporarily
 * unavailable, never "invalid token".
 */
public final class OAuthTokens implements TokenService {
    private static final System.Logger LOG = System.getLogger(OAuthTokens.class.getName());
    private static final String NAME = "oauth2";

    private final Optional<JwtTokens> jwt;
    private final Optional<Introspection> introspection;
    private final ClaimChecks checks;
    private final Cache<String, Introspection.Verdict> introspected;
    private final Duration timeout;
    private final boolean requireKnownUser;
    private final DatabaseEvents events;
    private final HealthWatch health;

    public OAuthTokens(RoostConfig.OAuth2 config, String clientSecret, int cacheSize, DatabaseEvents events,
            InstantSource clock) {
        this.checks = new ClaimChecks(config);
        this.jwt = present(config.jwksUrl()) ? Optional.of(new JwtTokens(config, checks)) : Optional.empty();
        this.introspection = present(config.introspectionUrl())
                ? Optional.of(new Introspection(config, clientSecret, checks, clock)) : Optional.empty();
        this.timeout = config.timeout();
        this.requireKnownUser = config.requireKnownUser();
        this.events = events;
        var ttl = config.cacheTtl();
        this.introspected = Caffeine.newBuilder()
                .maximumSize(Math.max(1, cacheSize))
                .expireAfter(Expiry.creating((String key, Introspection.Verdict verdict) -> verdict.expires()
                        .map(exp -> Duration.between(clock.instant(), exp))
                        .filter(untilExpiry -> untilExpiry.compareTo(ttl) < 0)
                        .map(untilExpiry -> untilExpiry.isNegative() ? Duration.ZERO : untilExpiry)
                        .orElse(ttl)))
                .executor(Runnable::run)
                .build();
        this.health = new HealthWatch(NAME, this::probe, timeout, clock);
    }

    private static boolean present(String url) {
        return url != null && !url.isBlank();
    }

    @Override
    public TokenCheck verify(String token) {
        long start = System.nanoTime();
        try {
            var check = Deadlines.call(NAME, timeout, () -> judge(token));
            events.lookup(NAME, check instanceof TokenCheck.Valid ? DatabaseEvents.Result.FOUND
                    : DatabaseEvents.Result.REJECTED, Duration.ofNanos(System.nanoTime() - start));
            health.answered();
            return check;
        } catch (DatabaseUnavailable e) {
            events.lookup(NAME, DatabaseEvents.Result.UNAVAILABLE, Duration.ofNanos(System.nanoTime() - start));
            health.failed(e.getMessage());
            LOG.log(Level.WARNING, "token service unavailable: {0}", e.getMessage());
            throw e;
        }
    }

    private TokenCheck judge(String token) {
        if (jwt.isPresent() && JwtTokens.looksLikeJwt(token)) {
            return jwt.get().verify(token);
        }
        if (introspection.isEmpty()) {
            return checks.rejected("not a JWT, and no introspection endpoint is configured");
        }
        var key = sha256(token);
        var known = introspected.getIfPresent(key);
        if (known != null) {
            return known.check();
        }
        var verdict = introspection.get().verify(token);
        introspected.put(key, verdict);
        return verdict.check();
    }

    private PasswordDatabase.Status probe() {
        var detail = jwt.map(j -> "JWKS: " + j.probe()).orElse("introspection only (probed by logins)");
        return new PasswordDatabase.Status(true, detail);
    }

    @Override
    public TokenCheck.Rejected rejection(String detail) {
        return checks.rejected(detail);
    }

    @Override
    public boolean requireKnownUser() {
        return requireKnownUser;
    }

    @Override
    public PasswordDatabase.Status status() {
        return health.status();
    }

    /** Reads the key set now, so the first health check after start has an answer. */
    public void probeNow() {
        health.probe();
    }

    private static String sha256(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every JDK has SHA-256", impossible);
        }
    }
}
