package org.roost.auth.ldap;

import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.StartTLSPostConnectProcessor;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.LookupTemplate;
import org.roost.auth.RemoteSource;
import org.roost.auth.UserFields;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.auth.sasl.Credential;
import org.roost.config.RoostConfig;

/**
 * Users from an LDAP directory, as Dovecot's passdb/userdb ldap. A search under {@code baseDn} with
 * {@code userFilter} (values escaped as RFC 4515 requires) finds the user, bound as {@code bindDn} (or
 * anonymously); {@code attributes} maps Roost's field names to the entry's attributes. In lookup mode the
 * password is read from the attribute mapped to {@code password}; with {@code authBind} it is checked by binding
 * as the user's DN on a second pool (the DN found, or {@code authBindDn} with values escaped as RFC 4514 requires,
 * which spares the search). Referrals are never followed; LDAPS or StartTLS use the CA in {@code caFile} (or the
 * JVM's) and check the server's host name; every operation is bounded by {@code timeout}.
 */
public final class LdapDatabase implements RemoteSource {
    /** Bind results that mean "not this password" (or no such DN), not "the directory is broken". */
    private static final Set<ResultCode> REFUSALS = Set.of(ResultCode.INVALID_CREDENTIALS,
            ResultCode.INAPPROPRIATE_AUTHENTICATION, ResultCode.NO_SUCH_OBJECT, ResultCode.INVALID_DN_SYNTAX,
            ResultCode.UNWILLING_TO_PERFORM);

    private final LDAPConnectionPool searches;
    private final Optional<LDAPConnectionPool> binds;
    private final String baseDn;
    private final SearchScope scope;
    private final LookupTemplate userFilter;
    private final Optional<LookupTemplate> iterateFilter;
    private final Optional<LookupTemplate> authBindDn;
    private final Map<String, String> attributes;
    private final String defaultScheme;
    private final int timeoutSeconds;
    private final String where;

    private LdapDatabase(RoostConfig.Ldap config, LDAPConnectionPool searches, Optional<LDAPConnectionPool> binds) {
        this.searches = searches;
        this.binds = binds;
        this.baseDn = config.baseDn();
        this.scope = switch (config.scope()) {
            case "base" -> SearchScope.BASE;
            case "onelevel" -> SearchScope.ONE;
            default -> SearchScope.SUB;
        };
        this.userFilter = template("userFilter", config.userFilter());
        this.iterateFilter = Optional.ofNullable(config.iterateFilter()).filter(f -> !f.isBlank())
                .map(f -> template("iterateFilter", f));
        this.authBindDn = Optional.ofNullable(config.authBindDn()).filter(f -> !f.isBlank())
                .map(f -> template("authBindDn", f));
        var mapped = new LinkedHashMap<String, String>();
        config.attributes().forEach((field, attribute) -> {
            if (attribute != null && !attribute.isEmpty() && !(config.authBind() && field.equals("password"))) {
                mapped.put(field, attribute);
            }
        });
        this.attributes = Map.copyOf(mapped);
        this.defaultScheme = config.defaultScheme();
        this.timeoutSeconds = (int) Math.max(1, (config.timeout().toMillis() + 999) / 1000);
        this.where = String.join(" ", config.uris());
    }

    /**
     * Pools for {@code config} (no connection is made yet, so the server starts while the directory is down).
     *
     * @throws IllegalArgumentException for a template with an unknown variable or an unusable CA file
     */
    public static LdapDatabase open(RoostConfig.Ldap config, String bindPassword) {
        var options = new LDAPConnectionOptions();
        options.setConnectTimeoutMillis((int) config.timeout().toMillis());
        options.setResponseTimeoutMillis(config.timeout().toMillis());
        options.setFollowReferrals(false);
        options.setAbandonOnTimeout(true);
        options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
        var tls = tls(config);
        var servers = servers(config, options, tls);
        PostConnectProcessor startTls = config.startTls() ? new StartTLSPostConnectProcessor(tls) : null;
        var service = config.bindDn() == null ? null
                : new SimpleBindRequest(config.bindDn(), bindPassword == null ? "" : bindPassword);
        try {
            var searches = pool(servers, service, config, startTls, "roost-ldap");
            var binds = config.authBind()
                    ? Optional.of(pool(servers, null, config, startTls, "roost-ldap-binds")) : Optional.<LDAPConnectionPool>empty();
            return new LdapDatabase(config, searches, binds);
        } catch (LDAPException e) {
            throw new IllegalArgumentException("auth.ldap: " + e.getMessage(), e);
        }
    }

    /** Parses every template without connecting. */
    public static void check(RoostConfig.Ldap config) {
        template("userFilter", config.userFilter());
        Optional.ofNullable(config.iterateFilter()).filter(f -> !f.isBlank()).ifPresent(f -> template("iterateFilter", f));
        Optional.ofNullable(config.authBindDn()).filter(f -> !f.isBlank()).ifPresent(f -> template("authBindDn", f));
    }

    private static LDAPConnectionPool pool(FailoverServerSet servers, SimpleBindRequest bind, RoostConfig.Ldap config,
            PostConnectProcessor startTls, String name) throws LDAPException {
        var pool = new LDAPConnectionPool(servers, bind, 0, config.poolSize(), startTls, false);
        pool.setConnectionPoolName(name);
        pool.setMaxWaitTimeMillis(config.timeout().toMillis());
        pool.setCreateIfNecessary(true);
        pool.setRetryFailedOperationsDueToInvalidConnections(true);
        return pool;
    }

    private static SSLContext tls(RoostConfig.Ldap config) {
        try {
            TrustManager trust = config.caFile() == null ? JVMDefaultTrustManager.getInstance()
                    : new PEMFileTrustManager(config.caFile().toFile());
            return new SSLUtil(trust).createSSLContext("TLSv1.3");
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.ldap.caFile: " + e.getMessage(), e);
        }
    }

    private static FailoverServerSet servers(RoostConfig.Ldap config, LDAPConnectionOptions options, SSLContext tls) {
        var uris = config.uris().stream().map(URI::create).toList();
        var hosts = uris.stream().map(URI::getHost).toArray(String[]::new);
        var ports = uris.stream().mapToInt(u -> u.getPort() > 0 ? u.getPort() : u.getScheme().equals("ldaps") ? 636 : 389)
                .toArray();
        boolean ldaps = uris.getFirst().getScheme().equals("ldaps");
        if (uris.stream().anyMatch(u -> u.getScheme().equals("ldaps") != ldaps)) {
            throw new IllegalArgumentException("auth.ldap.uris: mix ldap:// and ldaps:// in separate deployments");
        }
        SocketFactory sockets = ldaps ? tls.getSocketFactory() : SocketFactory.getDefault();
        return new FailoverServerSet(hosts, ports, sockets, options);
    }

    private static LookupTemplate template(String key, String text) {
        try {
            return LookupTemplate.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("auth.ldap." + key + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "ldap";
    }

    @Override
    public UserQuery relevant(UserQuery query) {
        var templates = new ArrayList<LookupTemplate>(List.of(userFilter));
        authBindDn.ifPresent(templates::add);
        return LookupTemplate.relevant(query, templates);
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        if (authBindDn.isPresent()) {
            var dn = authBindDn.get().expand(query, DnEscaping::value);
            return Optional.of(UserFields.record(name(), query.user(), Map.of(), defaultScheme,
                    Optional.of(bindAs(dn))));
        }
        return find(query).map(entry -> record(query, entry));
    }

    private UserRecord record(UserQuery query, SearchResultEntry entry) {
        var fields = new LinkedHashMap<String, String>();
        attributes.forEach((field, attribute) -> {
            var value = entry.getAttributeValue(attribute);
            if (value != null && !field.equals("user")) {
                fields.put(field, value);
            }
        });
        var check = binds.isPresent() ? Optional.of(bindAs(entry.getDN())) : Optional.<Credential.PasswordCheck>empty();
        return UserFields.record(name(), query.user(), fields, defaultScheme, check);
    }

    /** The one entry the user filter finds; two are a broken directory, not a user. */
    private Optional<SearchResultEntry> find(UserQuery query) {
        var filter = userFilter.expand(query, Filter::encodeValue);
        try {
            var request = new SearchRequest(baseDn, scope, DereferencePolicy.NEVER, 2, timeoutSeconds, false,
                    Filter.create(filter), attributes.values().toArray(String[]::new));
            var entries = searches.search(request).getSearchEntries();
            return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst());
        } catch (LDAPSearchException e) {
            if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
                throw new DatabaseUnavailable("ldap: the user filter found more than one entry for one user");
            }
            throw unavailable(e);
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    /**
     * A password check that binds as {@code dn}. An empty password is refused without asking: to LDAP it is an
     * unauthenticated bind, which succeeds (RFC 4513 section 5.1.2).
     */
    private Credential.PasswordCheck bindAs(String dn) {
        return password -> {
            if (password.length == 0) {
                return false;
            }
            try {
                binds.orElseThrow().bind(new SimpleBindRequest(dn, password));
                return true;
            } catch (LDAPException e) {
                if (REFUSALS.contains(e.getResultCode())) {
                    return false;
                }
                throw unavailable(e);
            }
        };
    }

    private static DatabaseUnavailable unavailable(LDAPException e) {
        return new DatabaseUnavailable("ldap: " + e.getResultCode() + ": " + e.getDiagnosticMessage(), e);
    }

    @Override
    public List<String> userNames(int limit) {
        var userAttribute = attributes.get("user");
        if (iterateFilter.isEmpty() || userAttribute == null) {
            return List.of();
        }
        try {
            var request = new SearchRequest(baseDn, scope, DereferencePolicy.NEVER, limit, timeoutSeconds, false,
                    Filter.create(iterateFilter.get().expand(UserQuery.internal(""), Filter::encodeValue)),
                    userAttribute);
            List<SearchResultEntry> entries;
            try {
                entries = searches.search(request).getSearchEntries();
            } catch (LDAPSearchException e) {
                if (e.getResultCode() != ResultCode.SIZE_LIMIT_EXCEEDED) {
                    throw e;
                }
                entries = e.getSearchEntries();
            }
            var names = new ArrayList<String>();
            entries.stream().map(entry -> entry.getAttributeValue(userAttribute)).filter(n -> n != null)
                    .limit(limit).forEach(names::add);
            return names;
        } catch (LDAPException e) {
            throw unavailable(e);
        }
    }

    @Override
    public Status status() {
        try {
            var root = searches.getRootDSE();
            var vendor = root == null ? null : root.getVendorName();
            return new Status(true, (vendor == null ? "directory" : vendor) + " at " + where + ", base " + baseDn);
        } catch (LDAPException e) {
            return new Status(false, where + ": " + e.getResultCode() + ": " + e.getDiagnosticMessage());
        }
    }

    @Override
    public void reload() {}

    @Override
    public void close() {
        searches.close();
        binds.ifPresent(LDAPConnectionPool::close);
    }
}
