package org.roost.net.tls;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;

/**
 * The server's TLS context, rebuilt when any of its PEM files changes (certificate rotation, Kubernetes secret
 * updates) so that new handshakes get the new certificate while established sessions carry on untouched.
 * Listeners and STARTTLS call {@link #get()} per handshake. A rotation caught half-way (a new certificate with
 * the old key, a file being written) fails to load; the previous context stays in force and the next check
 * tries again, because the files still differ from what was loaded.
 */
public final class ReloadingTls implements Supplier<SSLContext>, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ReloadingTls.class.getName());
    private final PemSource fallback;
    private final List<PemSource> sni;
    private volatile SSLContext current;
    private volatile List<Object> loadedStamps;
    private volatile List<Object> failedStamps;
    private Thread poller;

    /** Loads every file now; throws when the initial set cannot be used (a start-up error the operator must see). */
    public ReloadingTls(PemSource fallback, List<PemSource> sni) throws IOException {
        this.fallback = fallback;
        this.sni = List.copyOf(sni);
        var stamps = stamps();
        current = build();
        loadedStamps = stamps;
    }

    @Override
    public SSLContext get() {
        return current;
    }

    /** Starts a virtual thread that calls {@link #reloadIfChanged()} every {@code interval}. */
    public ReloadingTls watchEvery(Duration interval) {
        poller = Thread.ofVirtual().name("tls-reload").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
                reloadIfChanged();
            }
        });
        return this;
    }

    /** Rebuilds the context when a file changed since the last load; true when a new context is now served. */
    public synchronized boolean reloadIfChanged() {
        List<Object> stamps;
        try {
            stamps = stamps();
        } catch (IOException e) {
            warnOnce(null, "TLS files unreadable, keeping the current certificates: " + e.getMessage());
            return false;
        }
        if (stamps.equals(loadedStamps)) {
            return false;
        }
        try {
            current = build();
            loadedStamps = stamps;
            failedStamps = null;
            LOG.log(Level.INFO, "TLS certificates reloaded from {0}", fallback.certificate());
            return true;
        } catch (IOException e) {
            warnOnce(stamps, "TLS certificates changed but cannot be used yet, keeping the current ones: "
                    + e.getMessage());
            return false;
        }
    }

    private void warnOnce(List<Object> stamps, String message) {
        if (stamps == null || !stamps.equals(failedStamps)) {
            LOG.log(Level.WARNING, message);
            failedStamps = stamps;
        }
    }

    private SSLContext build() throws IOException {
        var entries = new ArrayList<SniKeyManager.Entry>();
        for (var source : sni) {
            entries.add(new SniKeyManager.Entry(source.names(), CertifiedKey.load(source.certificate(), source.key())));
        }
        var manager = new SniKeyManager(CertifiedKey.load(fallback.certificate(), fallback.key()), entries);
        try {
            var context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {manager}, null, new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    /** Time, size and inode of every file: a rename into place (Kubernetes' ..data swap) changes the inode. */
    private List<Object> stamps() throws IOException {
        var out = new ArrayList<Object>();
        for (var source : allSources()) {
            for (var file : List.of(source.certificate(), source.key())) {
                out.add(stamp(file));
            }
        }
        return out;
    }

    private List<PemSource> allSources() {
        var all = new ArrayList<PemSource>();
        all.add(fallback);
        all.addAll(sni);
        return all;
    }

    private static List<Object> stamp(Path file) throws IOException {
        var a = Files.readAttributes(file, BasicFileAttributes.class);
        return List.of(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), ""),
                file.toRealPath().toString());
    }

    @Override
    public void close() {
        if (poller != null) {
            poller.interrupt();
        }
    }
}
