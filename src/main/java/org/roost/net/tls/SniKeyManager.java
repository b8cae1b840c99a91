package org.roost.net.tls;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.StandardConstants;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the server certificate by the host name the client sent in SNI (RFC 6066 §3): an exact name or a
 * one-label wildcard ({@code *.example.org}) of a configured entry, else the default certificate. Among
 * candidates the key type the handshake asks for (RSA, EC, ...) must match. Aliases are entry indexes.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    private static final String DEFAULT = "default";
    private final CertifiedKey fallback;
    private final List<Entry> entries;

    /** Names (lower case, {@code *.} wildcards allowed) that select {@code key}. */
    public record Entry(List<String> names, CertifiedKey key) {
        public Entry {
            names = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
        }

        boolean serves(String host) {
            for (var name : names) {
                if (name.equals(host)) {
                    return true;
                }
                if (name.startsWith("*.")) {
                    int dot = host.indexOf('.');
                    if (dot > 0 && host.substring(dot + 1).equals(name.substring(2))) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    public SniKeyManager(CertifiedKey fallback, List<Entry> entries) {
        this.fallback = fallback;
        this.entries = List.copyOf(entries);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        var session = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        return choose(keyType, requestedHost(session));
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(keyType, requestedHost(engine == null ? null : engine.getHandshakeSession()));
    }

    /** The SNI host name of the handshake in progress, lower case. */
    static Optional<String> requestedHost(SSLSession session) {
        if (!(session instanceof ExtendedSSLSession extended)) {
            return Optional.empty();
        }
        return extended.getRequestedServerNames().stream()
                .filter(n -> n.getType() == StandardConstants.SNI_HOST_NAME)
                .map(n -> n instanceof SNIHostName h ? h.getAsciiName() : new SNIHostName(n.getEncoded()).getAsciiName())
                .map(n -> n.toLowerCase(Locale.ROOT))
                .findFirst();
    }

    /**
     * An entry that serves the host wins over the default even when its key type is not the one asked for
     * first: answering null makes the handshake ask again with the client's next signature scheme.
     */
    String choose(String keyType, Optional<String> host) {
        boolean hostServed = false;
        if (host.isPresent()) {
            for (int i = 0; i < entries.size(); i++) {
                var entry = entries.get(i);
                if (entry.serves(host.get())) {
                    hostServed = true;
                    if (fits(entry.key(), keyType)) {
                        return Integer.toString(i);
                    }
                }
            }
        }
        return !hostServed && fits(fallback, keyType) ? DEFAULT : null;
    }

    private static boolean fits(CertifiedKey key, String keyType) {
        return keyType == null || key.key().getAlgorithm().equalsIgnoreCase(keyType);
    }

    private Optional<CertifiedKey> byAlias(String alias) {
        if (DEFAULT.equals(alias)) {
            return Optional.of(fallback);
        }
        try {
            int i = Integer.parseInt(alias);
            return i >= 0 && i < entries.size() ? Optional.of(entries.get(i).key()) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return byAlias(alias).map(k -> k.chain().toArray(X509Certificate[]::new)).orElse(null);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return byAlias(alias).map(CertifiedKey::key).orElse(null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        var out = new java.util.ArrayList<String>();
        if (fits(fallback, keyType)) {
            out.add(DEFAULT);
        }
        for (int i = 0; i < entries.size(); i++) {
            if (fits(entries.get(i).key(), keyType)) {
                out.add(Integer.toString(i));
            }
        }
        return out.isEmpty() ? null : out.toArray(String[]::new);
    }

    /** A server never authenticates as a client. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
