package org.roost.auth.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.sasl.TokenCheck;
import org.roost.config.RoostConfig;

/**
 * RFC 7662 token introspection: the token is posted to {@code introspectionUrl} with the client's credentials
 * (HTTP Basic, RFC 6749 section 2.3.1); an {@code "active": true} answer whose {@code exp} has not passed, whose
 * issuer and audience fit and which names the user in {@code usernameClaim} lets the user in.
 */
final class Introspection {
    private static final int MAX_ANSWER_BYTES = 256 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final URI endpoint;
    private final String authorization;
    private final Duration timeout;
    private final Duration clockSkew;
    private final String usernameClaim;
    private final ClaimChecks checks;
    private final InstantSource clock;

    /** The verdict and until when it may be reused ({@code exp}, when the answer gave one). */
    record Verdict(TokenCheck check, Optional<Instant> expires) {}

    Introspection(RoostConfig.OAuth2 config, String clientSecret, ClaimChecks checks, InstantSource clock) {
        this.endpoint = URI.create(config.introspectionUrl());
        this.timeout = config.timeout();
        this.clockSkew = config.clockSkew();
        this.usernameClaim = config.usernameClaim();
        this.checks = checks;
        this.clock = clock;
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((form(config.clientId()) + ":"
                + form(clientSecret)).getBytes(StandardCharsets.UTF_8));
        this.http = HttpClient.newBuilder().connectTimeout(timeout).sslContext(TlsTrust.context(config.caFile()))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    Verdict verify(String token) {
        var request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Authorization", authorization)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + form(token) + "&token_type_hint=access_token"))
                .build();
        JsonNode answer;
        try {
            var response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    throw new DatabaseUnavailable("oauth2: introspection answered HTTP " + response.statusCode());
                }
                var bytes = body.readNBytes(MAX_ANSWER_BYTES + 1);
                if (bytes.length > MAX_ANSWER_BYTES) {
                    throw new DatabaseUnavailable("oauth2: the introspection answer is larger than 256 KiB");
                }
                answer = JSON.readTree(bytes);
            }
        } catch (IOException e) {
            throw new DatabaseUnavailable("oauth2: introspection failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatabaseUnavailable("oauth2: introspection was interrupted");
        }
        return judge(answer);
    }

    private Verdict judge(JsonNode answer) {
        if (answer == null || !answer.isObject() || !answer.path("active").isBoolean()) {
            throw new DatabaseUnavailable("oauth2: the introspection answer has no boolean 'active'");
        }
        if (!answer.path("active").booleanValue()) {
            return new Verdict(checks.rejected("the token is not active"), Optional.empty());
        }
        var expires = answer.path("exp").canConvertToLong()
                ? Optional.of(Instant.ofEpochSecond(answer.path("exp").longValue())) : Optional.<Instant>empty();
        if (expires.isPresent() && expires.get().plus(clockSkew).isBefore(clock.instant())) {
            return new Verdict(checks.rejected("the token expired at " + expires.get()), expires);
        }
        var audience = new ArrayList<String>();
        var aud = answer.path("aud");
        if (aud.isTextual()) {
            audience.add(aud.textValue());
        } else {
            aud.forEach(a -> audience.add(a.asText()));
        }
        var issuer = Optional.ofNullable(answer.path("iss").textValue());
        var user = answer.path(usernameClaim);
        return new Verdict(checks.judge(issuer, List.copyOf(audience), user.isTextual() ? user.textValue() : null),
                expires);
    }

    private static String form(String value) {
        return URLEncoder.encode(value == null ? "" : value, StandardCharsets.UTF_8);
    }
}
