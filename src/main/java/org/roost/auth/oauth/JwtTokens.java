package org.roost.auth.oauth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.net.URI;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.sasl.TokenCheck;
import org.roost.config.RoostConfig;

/**
 * JWT access tokens checked here, without asking anyone per login: the signature against the identity provider's
 * keys from {@code jwksUrl} (cached for {@code jwksCacheTtl}; a token signed with a key not in the cache makes
 * one refetch, at most one per {@code jwksMinRefetch}, so rotated keys are found and forged key ids cannot
 * flood the provider), then {@code exp} and {@code nbf} with {@code clockSkew}, the issuer, the audience and the
 * username claim. Only the configured asymmetric algorithms are accepted: never {@code none} or a shared secret.
 */
final class JwtTokens {
    private static final int MAX_JWKS_BYTES = 1024 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final JWKSource<SecurityContext> keys;
    private final ClaimChecks checks;
    private final String usernameClaim;

    JwtTokens(RoostConfig.OAuth2 config, ClaimChecks checks) {
        this.checks = checks;
        this.usernameClaim = config.usernameClaim();
        int timeout = (int) config.timeout().toMillis();
        var retriever = new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES, true,
                TlsTrust.context(config.caFile()).getSocketFactory());
        try {
            this.keys = JWKSourceBuilder.<SecurityContext>create(URI.create(config.jwksUrl()).toURL(), retriever)
                    .cache(config.jwksCacheTtl().toMillis(), timeout)
                    .refreshAheadCache(false)
                    .rateLimited(config.jwksMinRefetch().toMillis())
                    .retrying(false)
                    .outageTolerant(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("auth.oauth2.jwksUrl: " + e.getMessage(), e);
        }
        Set<JWSAlgorithm> algorithms = config.algorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toSet());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        var verifier = new DefaultJWTClaimsVerifier<SecurityContext>(null, null, Set.of("exp", usernameClaim), null);
        verifier.setMaxClockSkew((int) config.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(verifier);
    }

    /** Whether the token has the form of a signed JWT (three base64url parts). */
    static boolean looksLikeJwt(String token) {
        return token.chars().filter(c -> c == '.').count() == 2;
    }

    TokenCheck verify(String token) {
        try {
            var claims = processor.process(token, null);
            return checks.judge(Optional.ofNullable(claims.getIssuer()),
                    claims.getAudience() == null ? List.of() : new HashSet<>(claims.getAudience()),
                    claims.getClaim(usernameClaim));
        } catch (ParseException | BadJOSEException e) {
            return checks.rejected(e.getMessage());
        } catch (RateLimitReachedException e) {
            return checks.rejected("signed with a key not in the key set (refetch rate-limited)");
        } catch (JOSEException e) {
            throw new DatabaseUnavailable("oauth2: the key set at the JWKS URL cannot be read: " + e.getMessage(), e);
        }
    }

    /** Reads the key set now (the health probe). */
    String probe() {
        try {
            return keys.get(new JWKSelector(new JWKMatcher.Builder().build()), null).size() + " keys";
        } catch (JOSEException e) {
            throw new DatabaseUnavailable("oauth2: the key set at the JWKS URL cannot be read: " + e.getMessage(), e);
        }
    }
}
