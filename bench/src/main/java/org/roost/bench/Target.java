package org.roost.bench;

/** Where the simulated clients connect: a loopback IMAP port, plain or implicit TLS. */
public record Target(String host, int port, boolean tls, int timeoutMillis) {

    public Target {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1-65535, was " + port);
        }
        if (timeoutMillis <= 0) {
            throw new IllegalArgumentException("timeout must be positive");
        }
    }

    public Target withTls(boolean useTls, int tlsPort) {
        return useTls ? new Target(host, tlsPort, true, timeoutMillis) : this;
    }
}
