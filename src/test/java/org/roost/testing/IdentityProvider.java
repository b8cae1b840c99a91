package org.roost.testing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * A JWKS-issuing identity provider on loopback (the JDK's HttpServer): {@code /jwks} serves the public keys,
 * {@code /introspect} answers RFC 7662 requests for the opaque tokens registered with {@link #opaque}, and
 * {@link #token} mints RS256 JWTs with Nimbus.
 */
public final class IdentityProvider implements AutoCloseable {
    public static final String ISSUER = "https://idp.example.org";
    public static final String AUDIENCE = "imap.example.org";
    public static final String CLIENT_ID = "roost";
    public static final String CLIENT_SECRET = "introspection-secret";

    private final HttpServer http;
    private final List<RSAKey> published = new CopyOnWriteArrayList<>();
    private final Map<String, String> opaque = new ConcurrentHashMap<>();
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final AtomicInteger introspections = new AtomicInteger();

    private IdentityProvider(HttpServer http) {
        this.http = http;
    }

    public static IdentityProvider start() throws IOException, JOSEException {
        var provider = new IdentityProvider(HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0));
        provider.published.add(key("k1"));
        provider.http.createContext("/jwks", provider::jwks);
        provider.http.createContext("/introspect", provider::introspect);
        provider.http.start();
        return provider;
    }

    public static RSAKey key(String id) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(id).generate();
    }

    /** Publishes another key (a rotation); tokens signed with it are then valid. */
    public RSAKey rotate(String id) throws JOSEException {
        var key = key(id);
        published.add(key);
        return key;
    }

    private void jwks(HttpExchange exchange) throws IOException {
        jwksFetches.incrementAndGet();
        var body = new JWKSet(List.copyOf(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK) k).toList()))
                .toPublicJWKSet().toString();
        send(exchange, 200, body);
    }

    private void introspect(HttpExchange exchange) throws IOException {
        introspections.incrementAndGet();
        var expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET)
                .getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"error\":\"invalid_client\"}");
            return;
        }
        var form = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        var token = "";
        for (var pair : form.split("&")) {
            if (pair.startsWith("token=")) {
                token = URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
            }
        }
        send(exchange, 200, opaque.getOrDefault(token, "{\"active\":false}"));
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        var bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (var out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** An opaque token whose introspection answers {@code answer}. */
    public void opaque(String token, String answer) {
        opaque.put(token, answer);
    }

    /** A valid RS256 access token for {@code user} (in {@code preferred_username}) signed by key k1, adjusted. */
    public String token(String user, UnaryOperator<JWTClaimsSet.Builder> adjust) throws JOSEException {
        return token(published.getFirst(), user, adjust);
    }

    public static String token(RSAKey key, String user, UnaryOperator<JWTClaimsSet.Builder> adjust)
            throws JOSEException {
        var now = Instant.now();
        var claims = adjust.apply(new JWTClaimsSet.Builder()
                .issuer(ISSUER).audience(AUDIENCE).subject("id-" + user)
                .claim("preferred_username", user)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now.minusSeconds(5)))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))))).build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    public int jwksFetches() {
        return jwksFetches.get();
    }

    public int introspections() {
        return introspections.get();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
