package org.roost.session;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.roost.auth.Authenticator;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.config.Cidr;
import org.roost.config.RoostConfig;
import org.roost.fts.FullTextSearch;
import org.roost.index.IndexCache;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRegistry;
import org.roost.net.SessionRuntime;

/**
 * What the sessions of every protocol share: one record, built once by the server, that each
 * protocol's context holds beside its own settings.
 *
 * @param limits         the bounds on what a client may ask ({@code limits.*})
 * @param secureNetworks where plaintext logins are allowed without TLS ({@code auth.secureNetworks})
 * @param tls            the current TLS context, for STARTTLS/STLS
 * @param authenticator  checks credentials, with penalties and turns
 * @param mechanisms     the SASL mechanisms offered ({@code auth.mechanisms})
 * @param metrics        the server's meters
 * @param sessions       every live session
 * @param indexCache     the shared mailbox states
 * @param serverName     the name SASL mechanisms and APOP present
 * @param fullText       the full-text index SEARCH asks
 * @param metadata       IMAP METADATA's bounds and server entries ({@code metadata.*})
 */
public record SessionServices(
        RoostConfig.Limits limits,
        List<Cidr> secureNetworks,
        Supplier<SSLContext> tls,
        Authenticator authenticator,
        List<SaslMechanism> mechanisms,
        RoostMetrics metrics,
        SessionRegistry sessions,
        IndexCache indexCache,
        String serverName,
        FullTextSearch fullText,
        RoostConfig.Metadata metadata) {

    /** Without a full-text index (every text search scans) and with the default {@code metadata.*}. */
    public SessionServices(RoostConfig.Limits limits, List<Cidr> secureNetworks, Supplier<SSLContext> tls,
            Authenticator authenticator, List<SaslMechanism> mechanisms, RoostMetrics metrics,
            SessionRegistry sessions, IndexCache indexCache, String serverName) {
        this(limits, secureNetworks, tls, authenticator, mechanisms, metrics, sessions, indexCache, serverName,
                FullTextSearch.disabled(), RoostConfig.defaults().metadata());
    }

    /** What the connection lifecycle of {@code net} needs of these. */
    public SessionRuntime runtime() {
        return new SessionRuntime(sessions, metrics, limits.preAuthTimeout(), limits.idleTimeout());
    }

    /** An offered mechanism by name, in any case. */
    public Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }

    public boolean isSecureNetwork(InetAddress address) {
        return secureNetworks.stream().anyMatch(n -> n.contains(address));
    }
}
