package org.roost.auth;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.roost.auth.sasl.Credential;

/**
 * A {@link RemoteSource} as logins use it: every call bounded by the database's timeout ({@link Deadlines}),
 * every lookup and password check counted by result with its latency, every failure a
 * {@link DatabaseUnavailable}. Its health is what the last answer or probe saw ({@link HealthWatch}).
 */
public final class RemoteDatabase implements RemoteSource {
    private static final System.Logger LOG = System.getLogger(RemoteDatabase.class.getName());

    private final RemoteSource source;
    private final Duration timeout;
    private final DatabaseEvents events;
    private final HealthWatch health;

    public RemoteDatabase(RemoteSource source, Duration timeout, DatabaseEvents events, InstantSource clock) {
        this.source = source;
        this.timeout = timeout;
        this.events = events;
        this.health = new HealthWatch(source.name(), source::status, timeout, clock);
    }

    @Override
    public String name() {
        return source.name();
    }

    @Override
    public UserQuery relevant(UserQuery query) {
        return source.relevant(query);
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        return measured(() -> source.lookup(query)).map(this::bounded);
    }

    @Override
    public Optional<UserRecord> user(UserQuery query) {
        return measured(() -> source.user(query));
    }

    private Optional<UserRecord> measured(Callable<Optional<UserRecord>> lookup) {
        return timed(lookup, Optional::isPresent, DatabaseEvents.Result.NOT_FOUND);
    }

    /** A password check made by the database (an LDAP bind) gets the same deadline and meters as a lookup. */
    private UserRecord bounded(UserRecord record) {
        if (!(record.credential() instanceof Credential.Remote remote)) {
            return record;
        }
        Credential.PasswordCheck check = password -> timed(() -> remote.check().matches(password), ok -> ok,
                DatabaseEvents.Result.REJECTED);
        return new UserRecord(record.name(), new Credential.Remote(check), record.uid(), record.gid(), record.home(),
                record.extra());
    }

    private <T> T timed(Callable<T> call, Predicate<T> found, DatabaseEvents.Result otherwise) {
        long start = System.nanoTime();
        try {
            var answer = Deadlines.call(name(), timeout, call);
            events.lookup(name(), found.test(answer) ? DatabaseEvents.Result.FOUND : otherwise, since(start));
            health.answered();
            return answer;
        } catch (DatabaseUnavailable e) {
            events.lookup(name(), DatabaseEvents.Result.UNAVAILABLE, since(start));
            health.failed(e.getMessage());
            LOG.log(Level.WARNING, "user database {0} unavailable: {1}", name(), e.getMessage());
            throw e;
        }
    }

    private static Duration since(long start) {
        return Duration.ofNanos(System.nanoTime() - start);
    }

    @Override
    public List<String> userNames(int limit) {
        return Deadlines.call(name(), timeout, () -> source.userNames(limit));
    }

    @Override
    public Status status() {
        return health.status();
    }

    /** Asks the database now, so the first health check after start has an answer. */
    public void probe() {
        health.probe();
    }

    @Override
    public void reload() throws java.io.IOException {
        source.reload();
    }

    @Override
    public void close() {
        source.close();
    }
}
