package org.roost.server;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.roost.acl.AclFiles;
import org.roost.admin.AdminServer;
import org.roost.admin.HealthCheck;
import java.time.InstantSource;
import org.roost.auth.AuthSetup;
import org.roost.auth.FileDatabase;
import org.roost.auth.PasswdFile;
import org.roost.auth.UserQuery;
import org.roost.auth.UserRecord;
import org.roost.auth.setup.UserDirectory;
import org.roost.config.Cidr;
import org.roost.config.RoostConfig;
import org.roost.imap.ImapContext;
import org.roost.imap.ImapSession;
import org.roost.delivery.IndexedMailboxes;
import org.roost.delivery.MailDelivery;
import org.roost.delivery.QuotaNotices;
import org.roost.fts.FullTextOptions;
import org.roost.fts.FullTextSearch;
import org.roost.index.IndexCache;
import org.roost.index.Namespaces;
import org.roost.index.SharedOwners;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;
import org.roost.index.SpecialMailbox;
import org.roost.lmtp.LmtpContext;
import org.roost.mail.SpecialUse;
import org.roost.mail.SystemFlag;
import org.roost.lmtp.LmtpSession;
import org.roost.managesieve.ManageSieveContext;
import org.roost.managesieve.ManageSieveSession;
import org.roost.metrics.RoostMetrics;
import org.roost.net.ConnectionLimits;
import org.roost.net.Listener;
import org.roost.net.SessionRegistry;
import org.roost.net.tls.PemSource;
import org.roost.net.tls.ReloadingTls;
import org.roost.pop3.Pop3Context;
import org.roost.pop3.Pop3Session;
import org.roost.session.SessionServices;
import org.roost.sieve.ScriptStores;
import org.roost.sieve.SieveCompiler;
import org.roost.storage.MailLocation;

/** Wires the rooms together and runs them: listeners, sessions, admin HTTP; drains on shutdown. */
public final class RoostServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RoostServer.class.getName());
    /** Who shares mailboxes with whom ({@link SharedOwners}), in the data directory. */
    private static final String SHARED_OWNERS = "shared-owners.json";
    private final RoostConfig config;
    private final RoostMetrics metrics = new RoostMetrics();
    private final SessionRegistry sessions = new SessionRegistry();
    private final Map<String, Listener> listeners = new LinkedHashMap<>();
    private AdminServer admin;
    private UserDirectory users;
    private ReloadingTls tls;
    private IndexCache indexCache;
    /** The storage driver under {@link #indexCache}; closed last (a database driver holds a pool). */
    private StorageDriver storage;
    private FullTextSearch fullText;
    private volatile boolean listening;
    private volatile boolean stopping;

    public RoostServer(RoostConfig config) {
        this.config = config;
    }

    /** Provisions the data directory, binds every enabled listener and the admin server. */
    public void start(PrintStream console) throws IOException {
        start(console, () -> {});
    }

    /**
     * Like {@link #start(PrintStream)}; {@code beforeListening} runs when all but the mail
     * listeners is up (the warm-up finishes there, so that the first client finds it done).
     */
    public void start(PrintStream console, Runnable beforeListening) throws IOException {
        EmbeddedDefaults.provision(config, console);
        tls = new ReloadingTls(PemSource.fallback(EmbeddedDefaults.certificate(config), EmbeddedDefaults.key(config)),
                config.tls().sni().stream().map(s -> new PemSource(s.names(), s.certificate(), s.key())).toList())
                .watchEvery(config.tls().reloadInterval());
        users = UserDirectory.open(config.auth(), metrics.databaseEvents(), InstantSource.system());
        metrics.bindAuthCaches(users.caches());
        provisionMailDirectory();
        var authenticator = AuthSetup.authenticator(config.auth(), users.chain(), users.tokens(),
                metrics.loginEvents());
        metrics.bindPenalizedAddresses(authenticator::penalizedAddresses);
        indexCache = indexCache();
        indexCache.specialMailboxes(specialMailboxes(config.mailboxes()));
        keepAcls(indexCache, storage, config);
        metrics.bindIndexCache(indexCache);
        storage.meter(metrics.storageServiceEvents());
        metrics.bindQuotas(indexCache.quotas());
        fullText = new FullTextSearch(fullTextOptions(config), indexCache);
        metrics.bindFullText(fullText);
        var delivery = delivery();
        var services = new SessionServices(config.limits(),
                config.auth().secureNetworks().stream().map(Cidr::parse).toList(),
                tls, authenticator, mechanisms(), metrics, sessions, indexCache, "localhost", fullText,
                config.metadata());
        var imap = ImapContext.create(services, config.imap(), config.data().resolve("tmp"));
        var pop3 = Pop3Context.of(config.pop3(), services);
        metrics.bindSessions(sessions, List.of("imap", "imaps", "pop3", "pop3s"),
                List.of("not_authenticated", "authenticated", "selected", "transaction"));
        metrics.bindSessions(sessions, List.of("lmtp"), List.of("ready", "transaction"));
        metrics.bindSessions(sessions, List.of("managesieve"), List.of("not_authenticated", "authenticated"));
        var limits = new ConnectionLimits(config.limits().maxConnections(), config.limits().maxConnectionsPerIp(),
                config.limits().reconnectGrace());
        // Admin first: once a mail port accepts, /health and /metrics answer too (probes, scripts).
        if (config.admin().enabled()) {
            admin = new AdminServer(metrics, sessions, new ServerAdminOperations(users, indexCache, fullText, tls),
                    config.admin().token(), this::liveness, this::readiness);
            admin.start(Listener.bindAddress(config.admin().address(), config.admin().port()));
            LOG.log(Level.INFO, "admin HTTP listening on {0}:{1}", config.admin().address(), Integer.toString(admin.port()));
        }
        beforeListening.run();
        var l = config.listeners();
        if (l.imap().enabled()) {
            startListener("imap", l.imap(), null, ImapSession.handler(imap, "imap"), limits);
        }
        if (l.imaps().enabled()) {
            startListener("imaps", l.imaps(), tls, ImapSession.handler(imap, "imaps"), limits);
        }
        if (l.pop3().enabled()) {
            startListener("pop3", l.pop3(), null, Pop3Session.handler(pop3, "pop3"), limits);
        }
        if (l.pop3s().enabled()) {
            startListener("pop3s", l.pop3s(), tls, Pop3Session.handler(pop3, "pop3s"), limits);
        }
        if (l.lmtp().enabled()) {
            var lmtp = new LmtpContext(services, config.delivery(), config.quota().fullTempfail(),
                    config.data().resolve("tmp"), delivery);
            startListener("lmtp", l.lmtp(), null, LmtpSession.handler(lmtp), limits);
        }
        if (l.managesieve().enabled()) {
            var managesieve = new ManageSieveContext(services, config.managesieve(), config.sieve(), scriptStores(),
                    SieveCompiler.of(config.sieve()));
            startListener("managesieve", l.managesieve(), null, ManageSieveSession.handler(managesieve), limits);
        }
        listening = true;
    }

    /** Each user's Sieve scripts, under the home their user database gives. */
    private ScriptStores scriptStores() {
        return new ScriptStores(config.sieve(), config.mail().fsync(),
                user -> users.chain().user(UserQuery.internal(user)).map(UserRecord::home));
    }

    private List<org.roost.auth.sasl.SaslMechanism> mechanisms() {
        return config.auth().mechanisms().stream()
                .map(name -> org.roost.auth.sasl.SaslMechanisms.byName(name).orElseThrow())
                .toList();
    }

    /** {@code mailboxes.special} (validated) as the index takes it. */
    static List<SpecialMailbox> specialMailboxes(RoostConfig.Mailboxes mailboxes) {
        return mailboxes.special().stream().map(m -> new SpecialMailbox(m.name(),
                Stream.of(m.use().trim().split("\\s+")).map(u -> SpecialUse.named(u).orElseThrow())
                        .collect(Collectors.toSet()),
                switch (m.auto().toLowerCase(Locale.ROOT)) {
                    case "create" -> SpecialMailbox.Auto.CREATE;
                    case "subscribe" -> SpecialMailbox.Auto.SUBSCRIBE;
                    default -> SpecialMailbox.Auto.NO;
                })).toList();
    }

    private IndexCache indexCache() throws IOException {
        storage = StorageDrivers.forUsers(config.mail(), config.data(), users.chain());
        return new IndexCache(storage, new org.roost.index.IndexOptions(config.index().persistent(),
                config.mail().fsync(), config.index().cacheBytes(), config.index().maxHeldExpunged(),
                config.index().fileLookupThreads(), config.index().maxExpungedRanges(), config.index().maxOpenFiles(),
                config.index().sortRunBytes()),
                new UserQuotaPolicy(users.chain(), config.quota()), config.quota().warnings());
    }

    /** The full-text index as {@code fts.*} says, under {@code data/fts}. */
    static FullTextOptions fullTextOptions(RoostConfig config) {
        var f = config.fts();
        return new FullTextOptions(f.enabled(), config.data().resolve("fts"), f.ramBufferBytes() / (1024.0 * 1024),
                f.maxTextChars(), f.queueBound(), f.maxOpenIndexes(), new FullTextOptions.Attachments(f.maxAttachmentBytes(),
                        f.attachmentTimeout(), f.attachmentThreads()), f.maxIndexBytesPerUser(),
                f.commitInterval(), f.refreshInterval(), f.positionedChars(), f.deferredMessagesPerUser());
    }

    /** Mailboxes get ACLs in Dovecot's files ({@code acl.*}) where they are on and the mail has directories. */
    static void keepAcls(IndexCache indexCache, StorageDriver storage, RoostConfig config) throws IOException {
        if (config.acl().enabled() && storage.hasMailboxDirectories()) {
            indexCache.accessControl(new AclFiles(config.acl().globalFile(), config.acl().maxFileBytes(),
                    config.acl().cachedMailboxes(), config.mail().fsync()));
            var configured = config.namespaces();
            boolean shared = !configured.sharedPrefix().isEmpty();
            var publicMaildir = configured.publicMaildir();
            if (shared || publicMaildir != null) {
                indexCache.namespaces(new Namespaces(shared ? configured.sharedPrefix() : null,
                        shared ? SharedOwners.open(config.data().resolve(SHARED_OWNERS), config.mail().fsync()) : null,
                        publicMaildir == null ? null : configured.publicPrefix(), publicMaildir == null ? null
                        : new UserLocation(Namespaces.PUBLIC_USER, new MailLocation("maildir",
                                publicMaildir.toString()), ""), privateFlagBits(configured.privateFlags())));
            }
        }
    }

    /** The system flags named (validated: each one's IMAP name), as bits. */
    private static int privateFlagBits(List<String> names) {
        return SystemFlag.bitsOf(names.stream().map(name -> SystemFlag.fromImapName(name).orElseThrow())
                .collect(java.util.stream.Collectors.toSet()));
    }

    /** Delivery through the index; quota warnings are delivered on a thread of their own, after what crossed. */
    private MailDelivery delivery() {
        var mailboxes = new IndexedMailboxes(indexCache);
        var notices = new QuotaNotices(mailboxes, config.quota().warningFrom(), config.delivery().hostname());
        indexCache.quotas().warnings(warning -> Thread.ofVirtual().name("quota-warning")
                .start(() -> notices.crossed(warning)));
        return new MailDelivery(UserQuotaPolicy.knownUsers(users.chain(), "lmtp"), mailboxes, indexCache.quotas(),
                MailDelivery.Options.of(config.delivery()),
                SieveSetup.filter(config, users.chain(), metrics.sieveEvents()));
    }

    private void startListener(String name, RoostConfig.Listener settings, Supplier<SSLContext> tls,
            org.roost.net.ConnectionHandler handler, ConnectionLimits limits) throws IOException {
        var listener = settings.unixSocket()
                ? Listener.unix(name, Path.of(settings.path()), handler, limits, metrics.traffic(name),
                        config.limits().preAuthTimeout())
                : new Listener(name, Listener.bindAddress(settings.address(), settings.port()),
                        tls, handler, limits, metrics.traffic(name), config.limits().preAuthTimeout());
        if (settings.proxyProtocol()) {
            listener.proxied(config.proxy().trustedNetworks().stream().map(Cidr::parse).toList());
        }
        try {
            listener.start();
        } catch (IOException e) {
            var where = settings.unixSocket() ? settings.path() : settings.address() + ":" + settings.port();
            throw new IOException("cannot listen for " + name + " on " + where + ": " + e.getMessage(), e);
        }
        listeners.put(name, listener);
    }

    /**
     * The directories holding the users' mail: the location up to its first per-user variable, or, for a location
     * in the users' homes, {@code mail.allowedRoots}.
     */
    private List<Path> mailRoots() {
        return MailLocation.parse(config.mail().location()).fixedDirectory().map(List::of)
                .orElse(config.mail().allowedRoots());
    }

    /** The Maildir root of the demo user exists from the first start, so a client sees an INBOX at once. */
    private void provisionMailDirectory() throws IOException {
        var location = MailLocation.parse(config.mail().location());
        var fixed = location.fixedDirectory();
        if (fixed.isEmpty()) {
            return; // the homes are the system's
        }
        Files.createDirectories(fixed.get());
        if (location.template().contains("%u") && !location.usesHome() && demoInPasswdFile()) {
            var root = location.root(EmbeddedDefaults.DEMO_USER);
            for (var sub : List.of("cur", "new", "tmp")) {
                Files.createDirectories(root.resolve(sub));
            }
        }
    }

    /** Only the passwd-file is asked: a remote database may be down at start, and it never holds the demo user. */
    private boolean demoInPasswdFile() {
        return users.chain().databases().stream().filter(d -> d instanceof PasswdFile)
                .anyMatch(d -> d.lookup(UserQuery.internal(EmbeddedDefaults.DEMO_USER)).isPresent());
    }

    public int port(String listener) {
        return listeners.get(listener).port();
    }

    public int adminPort() {
        return admin.port();
    }

    public SessionRegistry sessions() {
        return sessions;
    }

    public RoostMetrics metrics() {
        return metrics;
    }

    private List<HealthCheck> liveness() {
        var checks = new ArrayList<HealthCheck>();
        listeners.values().forEach(l -> checks.add(new HealthCheck("listener." + l.name(), l.isAccepting(),
                l.isAccepting() ? "accepting" : "accept loop stopped")));
        return checks;
    }

    private List<HealthCheck> readiness() {
        var checks = new ArrayList<HealthCheck>();
        checks.add(new HealthCheck("server", listening && !stopping,
                stopping ? "shutting down" : listening ? "running" : "starting"));
        listeners.values().forEach(l -> checks.add(new HealthCheck("listener." + l.name(), l.isBound(),
                l.isBound() ? "bound to " + l.endpoint() : "not bound")));
        if (users != null) {
            users.chain().databases().forEach(database -> {
                var status = database.status();
                checks.add(new HealthCheck(database.name(), status.up(), status.detail(),
                        database instanceof FileDatabase));
            });
            users.tokens().ifPresent(tokens -> {
                var status = tokens.status();
                checks.add(new HealthCheck("oauth2", status.up(), status.detail(), false));
            });
        }
        checks.add(storageCheck());
        if (storage != null) {
            storage.services().forEach(service -> checks.add(
                    new HealthCheck("mailStorage." + service.name(), service.up(), service.detail())));
        }
        return checks;
    }

    /** The mail roots (the location up to its first per-user variable) must exist and be writable. */
    private HealthCheck storageCheck() {
        var roots = mailRoots();
        var unusable = roots.stream().filter(root -> !Files.isDirectory(root) || !Files.isWritable(root)).toList();
        return new HealthCheck("mailStorage", unusable.isEmpty(), unusable.isEmpty()
                ? String.join(", ", roots.stream().map(Path::toString).toList()) + (roots.size() == 1 ? " is" : " are")
                        + " writable"
                : unusable.getFirst() + " is missing or not writable");
    }

    /** Graceful stop: no new connections, BYE to every session, wait up to the drain time. */
    public void shutdown() {
        if (stopping) {
            return;
        }
        stopping = true;
        LOG.log(Level.INFO, "shutting down: {0} sessions to drain", sessions.size());
        listeners.values().forEach(Listener::close);
        if (tls != null) {
            tls.close();
        }
        sessions.shutdown("Server shutting down.", config.limits().shutdownDrain());
        if (indexCache != null) {
            indexCache.flush();
        }
        if (admin != null) {
            admin.close();
        }
        if (users != null) {
            users.close();
        }
        closeFullText();
        if (storage instanceof AutoCloseable closeable) {
            closeQuietly(closeable);
        }
        LOG.log(Level.INFO, "shutdown complete");
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "storage not closed cleanly: {0}", e.getMessage());
        }
    }

    /** Commits what the indexer added; what it had not yet indexed is indexed at the next start. */
    private void closeFullText() {
        if (fullText == null) {
            return;
        }
        try {
            fullText.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "full-text index not closed cleanly: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    Duration drain() {
        return config.limits().shutdownDrain();
    }
}
