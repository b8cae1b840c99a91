package org.roost.pop3;

import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import org.roost.auth.Authenticator;
import org.roost.auth.sasl.SaslMechanism;
import org.roost.config.Cidr;
import org.roost.config.RoostConfig;
import org.roost.index.IndexCache;
import org.roost.metrics.RoostMetrics;
import org.roost.net.SessionRegistry;

/** What every POP3 session of the server shares. */
public record Pop3Context(
        RoostConfig.Limits limits,
        List<Cidr> secureNetworks,
        Supplier<SSLContext> tls,
        Authenticator authenticator,
        List<SaslMechanism> mechanisms,
        RoostMetrics metrics,
        SessionRegistry sessions,
        IndexCache indexCache,
        String serverName,
        UidlFormat uidlFormat,
        boolean markSeenOnRetr,
        MaildropLocks locks) {

    /** Builds the context from the {@code pop3} config section. */
    public static Pop3Context of(RoostConfig config, Supplier<SSLContext> tls, Authenticator authenticator,
            List<SaslMechanism> mechanisms, RoostMetrics metrics, SessionRegistry sessions, IndexCache indexCache, String serverName) {
        return new Pop3Context(config.limits(),
                config.auth().secureNetworks().stream().map(Cidr::parse).toList(),
                tls, authenticator, mechanisms, metrics, sessions, indexCache, serverName,
                UidlFormat.parse(config.pop3().uidlFormat()), config.pop3().markSeenOnRetr(), new MaildropLocks());
    }

    /** A configured (offered) mechanism by name. */
    public java.util.Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }

    public boolean isSecureNetwork(InetAddress address) {
        return secureNetworks.stream().anyMatch(n -> n.contains(address));
    }
}
