package org.roost.auth.setup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.roost.auth.CachedDatabase;
import org.roost.auth.DatabaseEvents;
import org.roost.auth.PasswdFile;
import org.roost.auth.PasswordChain;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.RemoteDatabase;
import org.roost.auth.RemoteSource;
import org.roost.auth.SystemUsers;
import org.roost.auth.TokenService;
import org.roost.auth.ldap.LdapDatabase;
import org.roost.auth.oauth.OAuthTokens;
import org.roost.auth.password.Passwords;
import org.roost.auth.sql.SqlDatabase;
import org.roost.config.ConfigException;
import org.roost.config.RoostConfig;

/**
 * Every user database of {@code auth.databases} in order, with SQL and LDAP behind their deadline, meters and
 * cache, and the OAuth 2.0 token service when {@code auth.oauth2} is set. Nothing here connects at start: SQL
 * and LDAP are probed in the background, so the server starts (and serves passwd-file users) while they are down.
 */
public final class UserDirectory implements AutoCloseable {
    private final PasswordChain chain;
    private final List<CachedDatabase> caches;
    private final List<RemoteSource> remotes;
    private final Optional<OAuthTokens> tokens;

    private UserDirectory(PasswordChain chain, List<CachedDatabase> caches, List<RemoteSource> remotes,
            Optional<OAuthTokens> tokens) {
        this.chain = chain;
        this.caches = List.copyOf(caches);
        this.remotes = List.copyOf(remotes);
        this.tokens = tokens;
    }

    /**
     * What the config checks cannot see, without connecting anywhere: an unknown default scheme, a query or filter
     * with an unknown variable or a variable SQL cannot bind. {@code bin/roost serve} runs it before starting.
     */
    public static void check(RoostConfig.Auth auth) throws ConfigException {
        var problems = new ArrayList<String>();
        if (auth.databases().contains("sql")) {
            collect(problems, () -> scheme("auth.sql.defaultScheme", auth.sql().defaultScheme()));
            collect(problems, () -> SqlDatabase.check(auth.sql()));
        }
        if (auth.databases().contains("ldap")) {
            collect(problems, () -> scheme("auth.ldap.defaultScheme", auth.ldap().defaultScheme()));
            collect(problems, () -> LdapDatabase.check(auth.ldap()));
        }
        if (!problems.isEmpty()) {
            throw new ConfigException(String.join("\n", problems));
        }
    }

    private static void collect(List<String> problems, Runnable check) {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
    }

    /**
     * Opens every database (no connection is made yet).
     *
     * @throws IllegalArgumentException for what {@link #check} reports
     */
    public static UserDirectory open(RoostConfig.Auth auth, DatabaseEvents events, InstantSource clock)
            throws IOException {
        var databases = new ArrayList<PasswordDatabase>();
        var caches = new ArrayList<CachedDatabase>();
        var remotes = new ArrayList<RemoteSource>();
        try {
            for (var name : auth.databases()) {
                switch (name) {
                    case "passwdFile" -> databases.add(new PasswdFile(auth.passwdFile()));
                    case "system" -> {
                        if (auth.system()) {
                            databases.add(new SystemUsers(auth.passwdPath(), auth.shadowPath(), auth.systemMinUid(),
                                    clock));
                        }
                    }
                    case "sql" -> {
                        scheme("auth.sql.defaultScheme", auth.sql().defaultScheme());
                        var sql = SqlDatabase.open(auth.sql(), secret(auth.sql().password(), auth.sql().passwordFile()));
                        databases.add(remote(sql, auth.sql().timeout(), auth.cache(), events, clock, caches, remotes));
                    }
                    case "ldap" -> {
                        scheme("auth.ldap.defaultScheme", auth.ldap().defaultScheme());
                        var ldap = LdapDatabase.open(auth.ldap(),
                                secret(auth.ldap().bindPassword(), auth.ldap().bindPasswordFile()));
                        databases.add(remote(ldap, auth.ldap().timeout(), auth.cache(), events, clock, caches, remotes));
                    }
                    default -> throw new IllegalArgumentException("auth.databases: unknown database " + name);
                }
            }
            var tokens = auth.oauth2().configured()
                    ? Optional.of(new OAuthTokens(auth.oauth2(), secret(auth.oauth2().clientSecret(),
                            auth.oauth2().clientSecretFile()), auth.cache().size(), events, clock))
                    : Optional.<OAuthTokens>empty();
            tokens.ifPresent(t -> Thread.ofVirtual().name("roost-probe-oauth2").start(t::probeNow));
            return new UserDirectory(new PasswordChain(databases), caches, remotes, tokens);
        } catch (IllegalArgumentException | IOException e) {
            remotes.forEach(RemoteSource::close);
            throw e;
        }
    }

    private static PasswordDatabase remote(RemoteSource source, Duration timeout, RoostConfig.Cache cache,
            DatabaseEvents events, InstantSource clock, List<CachedDatabase> caches, List<RemoteSource> remotes) {
        var guarded = new RemoteDatabase(source, timeout, events, clock);
        remotes.add(guarded);
        Thread.ofVirtual().name("roost-probe-" + source.name()).start(guarded::probe);
        if (cache.size() == 0) {
            return guarded;
        }
        var cached = new CachedDatabase(guarded, cache.size(), cache.ttl(), cache.negativeTtl(), events);
        caches.add(cached);
        return cached;
    }

    private static void scheme(String key, String scheme) {
        if (!Passwords.supports(scheme)) {
            throw new IllegalArgumentException(key + ": unknown password scheme '" + scheme + "'; known: "
                    + Passwords.schemes());
        }
    }

    /**
     * A secret given inline or read from a file (one trailing newline dropped, as {@code echo} and editors add
     * it); null when neither is set. Never logged.
     */
    static String secret(String inline, Path file) throws IOException {
        if (file == null) {
            return inline;
        }
        var text = Files.readString(file, StandardCharsets.UTF_8);
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    public PasswordChain chain() {
        return chain;
    }

    /** The caches of the SQL and LDAP databases, for the admin API's flush and statistics. */
    public List<CachedDatabase> caches() {
        return caches;
    }

    public Optional<TokenService> tokens() {
        return tokens.map(t -> t);
    }

    @Override
    public void close() {
        remotes.forEach(RemoteSource::close);
    }
}
