package org.roost.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * System users: names, uids and homes from {@code /etc/passwd}, crypt(3) hashes from {@code /etc/shadow}
 * (both paths configurable), re-read when either file changes. Accounts below {@code minUid} (root,
 * daemons), locked accounts ({@code !} or {@code *} hashes), accounts without a password and expired
 * accounts are known but may not log in, so they cost and answer the same as a wrong password.
 */
public final class SystemUsers implements FileDatabase {
    private static final System.Logger LOG = System.getLogger(SystemUsers.class.getName());
    private static final long SECONDS_PER_DAY = 86_400;
    private final Path passwdPath;
    private final Path shadowPath;
    private final int minUid;
    private final InstantSource clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, Account> accounts = Map.of();
    private volatile List<FileStamp> loaded = List.of();

    /** One line of the two files joined; {@code expiresOnDay} is days since 1970-01-01, or -1. */
    private record Account(UserRecord record, long uid, long expiresOnDay) {}

    /** Reads both files now; fails when either cannot be read (e.g. /etc/shadow needs root or group shadow). */
    public SystemUsers(Path passwdPath, Path shadowPath, int minUid, InstantSource clock) throws IOException {
        this.passwdPath = passwdPath;
        this.shadowPath = shadowPath;
        this.minUid = minUid;
        this.clock = clock;
        reload();
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public List<String> userNames(int limit) {
        reloadIfChanged();
        return accounts.values().stream().filter(a -> a.uid() >= minUid).map(a -> a.record().name()).sorted()
                .limit(limit).toList();
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        reloadIfChanged();
        var account = accounts.get(query.user());
        if (account == null) {
            return Optional.empty();
        }
        return Optional.of(mayLogIn(account) ? account.record() : locked(account.record()));
    }

    private boolean mayLogIn(Account account) {
        long today = Math.floorDiv(clock.instant().getEpochSecond(), SECONDS_PER_DAY);
        return account.uid() >= minUid && (account.expiresOnDay() < 0 || today < account.expiresOnDay())
                && usableHash(account.record().password());
    }

    /** An empty hash would mean "no password" to crypt(3); "!"/"*" mark locked or password-less accounts. */
    private static boolean usableHash(String hash) {
        return !hash.isEmpty() && !hash.startsWith("!") && !hash.startsWith("*");
    }

    private static UserRecord locked(UserRecord r) {
        var extra = new HashMap<>(r.extra());
        extra.put("nologin", "");
        return new UserRecord(r.name(), r.password(), r.uid(), r.gid(), r.home(), Map.copyOf(extra));
    }

    @Override
    public int size() {
        return accounts.size();
    }

    private void reloadIfChanged() {
        try {
            if (!FileStamp.of(List.of(passwdPath, shadowPath)).equals(loaded)) {
                reload();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "system users: {0}; keeping the last good copy", e.getMessage());
        }
    }

    @Override
    public void reload() throws IOException {
        lock.lock();
        try {
            var stamps = FileStamp.of(List.of(passwdPath, shadowPath));
            var shadow = readShadow(Files.readAllLines(shadowPath, StandardCharsets.UTF_8));
            var parsed = join(Files.readAllLines(passwdPath, StandardCharsets.UTF_8), shadow);
            accounts = parsed;
            loaded = stamps;
            LOG.log(Level.INFO, "system users from {0} and {1}: {2} accounts", passwdPath, shadowPath, parsed.size());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new IOException(e.getFile() + " is not readable by this process (system users need root or the "
                    + "shadow group)", e);
        } finally {
            lock.unlock();
        }
    }

    /** name → (hash, expire day) from shadow(5) lines {@code name:hash:lastchg:min:max:warn:inactive:expire:}. */
    private static Map<String, String[]> readShadow(List<String> lines) {
        var out = new HashMap<String, String[]>();
        for (var line : lines) {
            var f = line.split(":", -1);
            if (f.length >= 2 && !f[0].isEmpty() && !line.startsWith("#")) {
                out.putIfAbsent(f[0], new String[] {f[1], f.length > 7 ? f[7] : ""});
            }
        }
        return out;
    }

    /** passwd(5) lines {@code name:password:uid:gid:gecos:home:shell}; the hash comes from shadow when it says "x". */
    private static Map<String, Account> join(List<String> passwdLines, Map<String, String[]> shadow) {
        var out = new LinkedHashMap<String, Account>();
        for (var line : passwdLines) {
            var f = line.split(":", -1);
            if (f.length < 7 || f[0].isEmpty() || line.startsWith("#")) {
                continue;
            }
            var shadowEntry = shadow.get(f[0]);
            String hash = f[1];
            long expires = -1;
            if (f[1].equals("x")) {
                hash = shadowEntry == null ? "*" : shadowEntry[0];
                expires = shadowEntry == null ? -1 : number(shadowEntry[1], -1);
            }
            long uid = number(f[2], -1);
            if (uid < 0) {
                continue;
            }
            var record = new UserRecord(f[0], asStored(hash), f[2], f[3], f[5], Map.of());
            out.putIfAbsent(f[0], new Account(record, uid, expires));
        }
        return Map.copyOf(out);
    }

    /** Shadow hashes are crypt(3) strings; Dovecot calls that scheme CRYPT. Locked markers stay as they are. */
    private static String asStored(String hash) {
        return usableHash(hash) ? "{CRYPT}" + hash : hash;
    }

    private static long number(String text, long fallback) {
        try {
            return text.isEmpty() ? fallback : Long.parseLong(text);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
