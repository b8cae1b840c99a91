package org.roost.config;

import static org.roost.config.ConfigValidator.positive;
import static org.roost.config.ConfigValidator.require;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** The checks of {@code auth.sql}, {@code auth.ldap}, {@code auth.oauth2} and {@code auth.cache}. */
final class UserDatabaseRules {
    private static final Duration MIN_TIMEOUT = Duration.ofMillis(250);
    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration MAX_CACHE_TTL = Duration.ofHours(24);
    private static final int MAX_POOL = 100;
    private static final int MAX_CACHE_SIZE = 10_000_000;
    private static final Set<String> SCOPES = Set.of("base", "onelevel", "subtree");
    private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
            "ES256", "ES384", "ES512");
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*");
    /** RFC 4512 descr or numericoid. */
    private static final Pattern ATTRIBUTE = Pattern.compile("[A-Za-z][A-Za-z0-9-]*|[0-9]+(\\.[0-9]+)+");

    private UserDatabaseRules() {}

    static void check(List<String> problems, RoostConfig.Auth auth) {
        var listed = auth.databases() == null ? List.<String>of() : auth.databases();
        cache(problems, auth.cache());
        if (auth.sql() == null || auth.ldap() == null || auth.oauth2() == null) {
            problems.add("auth.sql/ldap/oauth2: must be mappings (leave them out for the defaults)");
            return;
        }
        if (listed.contains("sql")) {
            sql(problems, auth.sql());
        } else {
            require(problems, blank(auth.sql().url()), "auth.sql.url", "is set but auth.databases does not list 'sql'");
        }
        if (listed.contains("ldap")) {
            ldap(problems, auth.ldap());
        } else {
            require(problems, auth.ldap().uris() == null || auth.ldap().uris().isEmpty(), "auth.ldap.uris",
                    "are set but auth.databases does not list 'ldap'");
        }
        if (auth.oauth2().configured()) {
            oauth2(problems, auth.oauth2());
        }
    }

    private static void cache(List<String> problems, RoostConfig.Cache c) {
        if (c == null) {
            problems.add("auth.cache: must be a mapping");
            return;
        }
        require(problems, c.size() >= 0 && c.size() <= MAX_CACHE_SIZE, "auth.cache.size",
                "must be between 0 (no cache) and " + MAX_CACHE_SIZE);
        require(problems, positive(c.ttl()) && c.ttl().compareTo(MAX_CACHE_TTL) <= 0, "auth.cache.ttl",
                "must be positive and at most 24h");
        require(problems, c.negativeTtl() != null && !c.negativeTtl().isNegative() && c.ttl() != null
                && c.negativeTtl().compareTo(c.ttl()) <= 0, "auth.cache.negativeTtl", "must be between 0s and auth.cache.ttl");
    }

    private static void sql(List<String> problems, RoostConfig.Sql s) {
        var url = s.url() == null ? "" : s.url();
        require(problems, url.startsWith("jdbc:postgresql://") || url.startsWith("jdbc:mariadb://"), "auth.sql.url",
                "must be a jdbc:postgresql://HOST[:PORT]/DATABASE or jdbc:mariadb://HOST[:PORT]/DATABASE URL");
        require(problems, !url.toLowerCase(Locale.ROOT).contains("password="), "auth.sql.url",
                "must not hold the password (it would be logged): use auth.sql.password or auth.sql.passwordFile");
        secret(problems, "auth.sql.password", s.password(), s.passwordFile());
        require(problems, !blank(s.passwordQuery()), "auth.sql.passwordQuery", "must be set");
        require(problems, s.userQuery() != null, "auth.sql.userQuery", "must be set (empty: use passwordQuery)");
        require(problems, s.iterateQuery() != null, "auth.sql.iterateQuery", "must be set (empty: no user listing)");
        require(problems, !blank(s.defaultScheme()), "auth.sql.defaultScheme", "must name a password scheme");
        pool(problems, "auth.sql", s.poolSize(), s.timeout());
    }

    private static void ldap(List<String> problems, RoostConfig.Ldap l) {
        var uris = l.uris() == null ? List.<String>of() : l.uris();
        require(problems, !uris.isEmpty(), "auth.ldap.uris", "must list at least one ldap:// or ldaps:// URI");
        for (int i = 0; i < uris.size(); i++) {
            var uri = uris.get(i);
            var key = "auth.ldap.uris[" + i + "]";
            var parsed = uri(uri);
            boolean ok = parsed != null && parsed.getHost() != null
                    && ("ldap".equals(parsed.getScheme()) || "ldaps".equals(parsed.getScheme()));
            require(problems, ok, key, "'" + uri + "' is not ldap://HOST[:PORT] or ldaps://HOST[:PORT]");
            require(problems, !(ok && l.startTls() && "ldaps".equals(parsed.getScheme())), key,
                    "is ldaps:// (TLS from the start) but auth.ldap.startTls is true");
        }
        require(problems, !blank(l.baseDn()), "auth.ldap.baseDn", "must be set (e.g. ou=people,dc=example,dc=org)");
        require(problems, l.bindDn() != null || l.bindPassword() == null && l.bindPasswordFile() == null,
                "auth.ldap.bindPassword", "is set but auth.ldap.bindDn is not");
        secret(problems, "auth.ldap.bindPassword", l.bindPassword(), l.bindPasswordFile());
        require(problems, l.scope() != null && SCOPES.contains(l.scope()), "auth.ldap.scope",
                "must be one of " + SCOPES);
        filter(problems, "auth.ldap.userFilter", l.userFilter(), true);
        filter(problems, "auth.ldap.iterateFilter", l.iterateFilter(), false);
        var attributes = l.attributes() == null ? Map.<String, String>of() : l.attributes();
        attributes.forEach((field, attribute) -> {
            require(problems, FIELD.matcher(field).matches(), "auth.ldap.attributes." + field,
                    "a field name is lower case letters, digits and '_' (home, uid, gid, mail, quota_rule, nologin…)");
            require(problems, attribute == null || attribute.isEmpty() || ATTRIBUTE.matcher(attribute).matches(),
                    "auth.ldap.attributes." + field, "'" + attribute + "' is not an attribute name");
        });
        require(problems, l.authBind() || !blank(attributes.get("password")), "auth.ldap.attributes.password",
                "must name the password attribute (e.g. userPassword) unless auth.ldap.authBind is true");
        require(problems, blank(l.authBindDn()) || l.authBind(), "auth.ldap.authBindDn",
                "is set but auth.ldap.authBind is false");
        readable(problems, "auth.ldap.caFile", l.caFile());
        require(problems, !blank(l.defaultScheme()), "auth.ldap.defaultScheme", "must name a password scheme");
        pool(problems, "auth.ldap", l.poolSize(), l.timeout());
    }

    private static void oauth2(List<String> problems, RoostConfig.OAuth2 o) {
        endpoint(problems, "auth.oauth2.jwksUrl", o.jwksUrl());
        endpoint(problems, "auth.oauth2.introspectionUrl", o.introspectionUrl());
        require(problems, !blank(o.usernameClaim()), "auth.oauth2.usernameClaim", "must name a claim (e.g. email)");
        var algorithms = o.algorithms() == null ? List.<String>of() : o.algorithms();
        require(problems, !algorithms.isEmpty() && ALGORITHMS.containsAll(algorithms), "auth.oauth2.algorithms",
                "must list signature algorithms among " + new TreeSet<>(ALGORITHMS));
        require(problems, o.clockSkew() != null && !o.clockSkew().isNegative()
                && o.clockSkew().compareTo(Duration.ofMinutes(5)) <= 0, "auth.oauth2.clockSkew", "must be 0s to 5m");
        require(problems, o.jwksCacheTtl() != null && o.jwksCacheTtl().compareTo(Duration.ofMinutes(1)) >= 0
                && o.jwksCacheTtl().compareTo(MAX_CACHE_TTL) <= 0, "auth.oauth2.jwksCacheTtl", "must be 1m to 24h");
        require(problems, o.jwksMinRefetch() != null && o.jwksMinRefetch().compareTo(Duration.ofSeconds(1)) >= 0
                && o.jwksCacheTtl() != null && o.jwksMinRefetch().compareTo(o.jwksCacheTtl()) <= 0,
                "auth.oauth2.jwksMinRefetch", "must be between 1s and auth.oauth2.jwksCacheTtl");
        if (!blank(o.introspectionUrl())) {
            require(problems, !blank(o.clientId()), "auth.oauth2.clientId", "must be set for introspection");
            secret(problems, "auth.oauth2.clientSecret", o.clientSecret(), o.clientSecretFile());
        }
        require(problems, o.cacheTtl() != null && !o.cacheTtl().isNegative()
                && o.cacheTtl().compareTo(Duration.ofHours(1)) <= 0, "auth.oauth2.cacheTtl", "must be 0s to 1h");
        require(problems, o.timeout() != null && o.timeout().compareTo(MIN_TIMEOUT) >= 0
                && o.timeout().compareTo(MAX_TIMEOUT) <= 0, "auth.oauth2.timeout", "must be 250ms to 60s");
        readable(problems, "auth.oauth2.caFile", o.caFile());
    }

    /** https, or http to a loopback address only (tokens and keys must not cross a network in the clear). */
    private static void endpoint(List<String> problems, String key, String url) {
        if (blank(url)) {
            return;
        }
        var parsed = uri(url);
        boolean https = parsed != null && "https".equals(parsed.getScheme()) && parsed.getHost() != null;
        boolean loopback = parsed != null && "http".equals(parsed.getScheme()) && parsed.getHost() != null
                && Set.of("127.0.0.1", "localhost", "[::1]").contains(parsed.getHost());
        require(problems, https || loopback, key, "must be an https:// URL (http:// only to 127.0.0.1, [::1] or localhost)");
    }

    static void pool(List<String> problems, String prefix, int poolSize, Duration timeout) {
        require(problems, poolSize >= 1 && poolSize <= MAX_POOL, prefix + ".poolSize", "must be between 1 and " + MAX_POOL);
        require(problems, timeout != null && timeout.compareTo(MIN_TIMEOUT) >= 0 && timeout.compareTo(MAX_TIMEOUT) <= 0,
                prefix + ".timeout", "must be 250ms to 60s");
    }

    /** A secret is given inline or in a file (a Kubernetes secret), not both; the value is never echoed. */
    static void secret(List<String> problems, String key, String value, Path file) {
        require(problems, value == null || file == null, key, "give it or " + key + "File, not both");
        readable(problems, key + "File", file);
    }

    private static void readable(List<String> problems, String key, Path file) {
        require(problems, file == null || Files.isRegularFile(file) && Files.isReadable(file), key,
                file + " is not a readable file");
    }

    private static void filter(List<String> problems, String key, String filter, boolean required) {
        if (blank(filter)) {
            require(problems, !required, key, "must be set");
            return;
        }
        require(problems, filter.startsWith("(") && filter.endsWith(")"), key,
                "must be an LDAP filter in parentheses, e.g. (&(objectClass=posixAccount)(uid=%u))");
    }

    private static URI uri(String text) {
        try {
            return new URI(text);
        } catch (URISyntaxException | NullPointerException e) {
            return null;
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }
}
