package org.roost.imap;

import java.nio.file.Path;
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

/** What every IMAP session of the server shares. */
public record ImapContext(
        RoostConfig.Limits limits,
        List<Cidr> secureNetworks,
        Supplier<SSLContext> tls,
        Authenticator authenticator,
        List<SaslMechanism> mechanisms,
        RoostMetrics metrics,
        SessionRegistry sessions,
        IndexCache indexCache,
        Path tempDir,
        String serverName) {

    public java.util.Optional<SaslMechanism> mechanism(String name) {
        return mechanisms.stream().filter(m -> m.name().equalsIgnoreCase(name)).findFirst();
    }

    public boolean isSecureNetwork(java.net.InetAddress address) {
        return secureNetworks.stream().anyMatch(n -> n.contains(address));
    }
}
