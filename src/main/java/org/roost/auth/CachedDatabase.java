package org.roost.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.roost.auth.sasl.Credential;

/**
 * Dovecot's auth cache for one remote database: answers are kept for {@code ttl} when the user was found and
 * for {@code negativeTtl} when not, at most {@code size} of them (Caffeine drops the least useful first). A
 * failure is never cached, so a database that comes back is asked again at once. Only what the database's
 * queries use is part of the key ({@link RemoteSource#relevant}).
 *
 * <p>A user whose password the database checks itself (an LDAP bind) keeps, with the cached answer, a keyed
 * digest of the last password the database accepted, so a repeated login with it needs no bind until the entry
 * expires; any other password is sent to the database.
 */
public final class CachedDatabase implements RemoteSource {
    private static final SecureRandom RANDOM = new SecureRandom();

    private enum Kind { LOGIN, USER }

    private record Key(Kind kind, UserQuery query) {}

    private final RemoteSource source;
    private final DatabaseEvents events;
    private final Cache<Key, Optional<UserRecord>> answers;

    /** What the admin API shows of a cache. */
    public record Stats(String database, long entries, long hits, long misses) {}

    public CachedDatabase(RemoteSource source, int size, Duration ttl, Duration negativeTtl, DatabaseEvents events) {
        this.source = source;
        this.events = events;
        this.answers = Caffeine.newBuilder()
                .maximumSize(size)
                .expireAfter(Expiry.creating((Key key, Optional<UserRecord> found) -> found.isPresent() ? ttl : negativeTtl))
                .executor(Runnable::run)
                .recordStats()
                .build();
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
        return cached(new Key(Kind.LOGIN, source.relevant(query)), source::lookup);
    }

    @Override
    public Optional<UserRecord> user(UserQuery query) {
        return cached(new Key(Kind.USER, source.relevant(query)), source::user);
    }

    /** Loaded outside the cache's locks: a slow database must not hold up lookups of other users. */
    private Optional<UserRecord> cached(Key key, Function<UserQuery, Optional<UserRecord>> lookup) {
        var known = answers.getIfPresent(key);
        events.cache(name(), known != null);
        if (known != null) {
            return known;
        }
        var found = lookup.apply(key.query()).map(CachedDatabase::remembering);
        answers.put(key, found);
        return found;
    }

    private static UserRecord remembering(UserRecord record) {
        if (!(record.credential() instanceof Credential.Remote remote)) {
            return record;
        }
        var accepted = new AcceptedPassword(remote.check());
        return new UserRecord(record.name(), new Credential.Remote(accepted::matches), record.uid(), record.gid(),
                record.home(), record.extra());
    }

    /** The last password the database accepted, as a digest under a key that lives only in this process. */
    private static final class AcceptedPassword {
        private final Credential.PasswordCheck database;
        private final byte[] key = new byte[32];
        private volatile byte[] last;

        AcceptedPassword(Credential.PasswordCheck database) {
            this.database = database;
            RANDOM.nextBytes(key);
        }

        boolean matches(byte[] password) {
            var digest = digest(password);
            var remembered = last;
            if (remembered != null && MessageDigest.isEqual(remembered, digest)) {
                return true;
            }
            boolean accepted = database.matches(password);
            if (accepted) {
                last = digest;
            }
            return accepted;
        }

        private byte[] digest(byte[] password) {
            try {
                var mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
                return mac.doFinal(password);
            } catch (GeneralSecurityException impossible) {
                throw new IllegalStateException("every JDK has HmacSHA256", impossible);
            }
        }
    }

    @Override
    public List<String> userNames(int limit) {
        return source.userNames(limit);
    }

    @Override
    public Status status() {
        return source.status();
    }

    /** Forgets every answer (as {@code doveadm auth cache flush}). */
    public long flush() {
        long entries = answers.estimatedSize();
        answers.invalidateAll();
        return entries;
    }

    /** Forgets the answers about one user name; returns how many there were. */
    public long flush(String user) {
        var keys = answers.asMap().keySet().stream().filter(key -> key.query().user().equals(user)).toList();
        answers.invalidateAll(keys);
        return keys.size();
    }

    public Stats stats() {
        var stats = answers.stats();
        return new Stats(name(), answers.estimatedSize(), stats.hitCount(), stats.missCount());
    }

    /** Re-reading means asking again: every cached answer is dropped. */
    @Override
    public void reload() throws IOException {
        flush();
        source.reload();
    }

    @Override
    public void close() {
        source.close();
    }
}
