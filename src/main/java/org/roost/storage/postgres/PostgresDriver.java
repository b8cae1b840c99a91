package org.roost.storage.postgres;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.roost.config.RoostConfig;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.ServiceEvents;
import org.roost.storage.ServiceStatus;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;

/**
 * {@code mail.location: postgres:%u}: every user's mail in one PostgreSQL database ({@code mail.postgres}) with
 * the bodies in an S3-compatible bucket ({@code mail.s3}). The location's template names the owner of the mail
 * in the database ({@code %u}: the login name); a user database's {@code mail} field is not consulted. Each
 * replica keeps its index files, a cache over the database, under {@code data/postgres-index}, and the bodies it
 * read or stored lately under {@code data/postgres-bodies} ({@link BodyCache}).
 */
public final class PostgresDriver implements StorageDriver, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(PostgresDriver.class.getName());
    private final MailLocation location;
    private final MailDatabase database;
    private final BodyStore store;
    private final Bodies bodies;
    private final ChangeFeed changes;
    private final Path indexRoot;
    private final ScheduledExecutorService collecting;
    private final ExpungedTrimmer trimmer;

    private PostgresDriver(MailLocation location, MailDatabase database, ChangeFeed changes, BodyStore store,
            BodyCache cache, Path data, RoostConfig.Postgres settings) {
        this.location = location;
        this.database = database;
        this.changes = changes;
        this.store = store;
        this.bodies = new Bodies(database, store, data.resolve("postgres-upload"), cache);
        this.indexRoot = data.resolve("postgres-index");
        this.collecting = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("roost-body-collector").factory());
        var collector = new BodyCollector(database, store);
        this.trimmer = new ExpungedTrimmer(database);
        long every = settings.collectInterval().toMillis();
        collecting.scheduleWithFixedDelay(() -> {
            sweep(collector, settings.bodyGrace());
            trim(settings.maxExpunged());
        }, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The driver for {@code location} as {@code mail.postgres} and {@code mail.s3} say, with its state under
     * {@code data}; migrates the schema first when {@code mail.postgres.migrateAtStart}.
     */
    public static PostgresDriver open(MailLocation location, RoostConfig.Mail mail, Path data) throws IOException {
        var settings = databaseSettings(mail.postgres());
        var database = new MailDatabase(settings);
        try {
            if (mail.postgres().migrateAtStart()) {
                database.migrate();
            }
            var cache = BodyCache.open(data.resolve("postgres-bodies"), mail.postgres().bodyCacheBytes());
            var store = new BodyStore(storeSettings(mail.s3()));
            return new PostgresDriver(location, database, new ChangeFeed(settings), store, cache, data,
                    mail.postgres());
        } catch (IOException | RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** {@code roost db migrate}: brings the schema of {@code mail.postgres} to the newest version. */
    public static void migrate(RoostConfig.Postgres postgres) throws IOException {
        try (var database = new MailDatabase(databaseSettings(postgres))) {
            database.migrate();
        }
    }

    private static MailDatabase.Settings databaseSettings(RoostConfig.Postgres p) throws IOException {
        return new MailDatabase.Settings(p.url(), p.user(), secret(p.password(), p.passwordFile()), p.poolSize(),
                p.timeout());
    }

    private static BodyStore.Settings storeSettings(RoostConfig.S3 s) throws IOException {
        return new BodyStore.Settings(s.endpoint(), s.region(), s.bucket(), s.pathStyle(), s.accessKey(),
                s.accessKey() == null ? null : secret(s.secretKey(), s.secretKeyFile()), s.timeout());
    }

    /** A secret given inline or in a file (a Kubernetes secret: one line, its line end not part of it). */
    private static String secret(String inline, Path file) throws IOException {
        if (file == null) {
            return inline;
        }
        var text = Files.readString(file, StandardCharsets.UTF_8);
        return text.endsWith("\r\n") ? text.substring(0, text.length() - 2)
                : text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    private static void sweep(BodyCollector collector, Duration grace) {
        try {
            int deleted = collector.sweep(grace);
            if (deleted > 0) {
                LOG.log(System.Logger.Level.INFO, "deleted {0} bodies no message refers to", deleted);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "body collection stopped, tried again later: {0}", e.getMessage());
        }
    }

    private void trim(int kept) {
        try {
            int trimmed = trimExpunged(kept);
            if (trimmed > 0) {
                LOG.log(System.Logger.Level.INFO, "trimmed the expunged UIDs of {0} mailboxes to {1} each", trimmed,
                        kept);
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "trimming expunged UIDs stopped, tried again later: {0}",
                    e.getMessage());
        }
    }

    /** Trims every mailbox's record of expunged UIDs to its newest {@code kept}; returns how many were trimmed. */
    int trimExpunged(int kept) throws IOException {
        return trimmer.sweep(kept);
    }

    @Override
    public UserLocation locate(String user) {
        var located = new UserLocation(user, location, "");
        location.root(user); // refuses names that cannot name an owner
        return located;
    }

    @Override
    public MailStore open(UserLocation user) throws IOException {
        var owner = user.location().root(user.user(), user.home()).toString();
        return PostgresMailStore.open(database, bodies, changes, owner,
                indexRoot.resolve(URLEncoder.encode(owner, StandardCharsets.UTF_8)));
    }

    /** Deletes the bodies no message refers to that were untouched for {@code grace}; returns how many. */
    public int collectBodies(Duration grace) throws IOException {
        return new BodyCollector(database, store).sweep(grace);
    }

    /** Whether the change feed's LISTEN connection is up now. */
    boolean changeFeedConnected() {
        return changes.connected();
    }

    /** PostgreSQL and the bucket, asked now (each within its timeout). */
    @Override
    public List<ServiceStatus> services() {
        return List.of(database.status(), store.status());
    }

    @Override
    public void meter(ServiceEvents events) {
        database.meter(events);
        store.meter(events);
    }

    @Override
    public void close() {
        collecting.shutdownNow();
        changes.close();
        store.close();
        database.close();
    }

    @Override
    public boolean hasMailboxDirectories() {
        return false; // the mail is rows: no ACL files (ACL is not advertised)
    }
}
