package org.roost.auth;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Dovecot's passwd-file: {@code user:password:uid:gid:gecos:home:shell:extra fields}, one user per line,
 * {@code #} comments. The file is re-read when it changes (time, size or inode); a file that cannot be
 * read keeps the last good copy in force. Extra fields honoured at login: {@code nologin} and
 * {@code allow_nets=} (see {@link UserRecord#deniedFrom}); {@code userdb_mail=} is kept for the mail store.
 */
public final class PasswdFile implements FileDatabase {
    private static final System.Logger LOG = System.getLogger(PasswdFile.class.getName());
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Map<String, UserRecord> users = Map.of();
    private volatile FileStamp loaded;

    public PasswdFile(Path file) throws IOException {
        this.file = file;
        reload();
    }

    @Override
    public String name() {
        return "passwdFile";
    }

    @Override
    public Optional<UserRecord> lookup(UserQuery query) {
        reloadIfChanged();
        return Optional.ofNullable(users.get(query.user()));
    }

    @Override
    public List<String> userNames(int limit) {
        reloadIfChanged();
        return users.keySet().stream().sorted().limit(limit).toList();
    }

    public Path file() {
        return file;
    }

    @Override
    public int size() {
        return users.size();
    }

    private void reloadIfChanged() {
        try {
            if (!FileStamp.of(file).equals(loaded)) {
                reload();
            }
        } catch (IOException e) {
            LOG.log(Level.WARNING, "passwd-file {0} unreadable, keeping the last good copy: {1}", file, e.getMessage());
        }
    }

    /** Re-reads the file now; on error the previous contents stay in force. */
    @Override
    public void reload() throws IOException {
        lock.lock();
        try {
            var stamp = FileStamp.of(file);
            var parsed = parse(Files.readAllLines(file, StandardCharsets.UTF_8));
            users = parsed;
            loaded = stamp;
            LOG.log(Level.INFO, "passwd-file {0}: {1} users", file, parsed.size());
        } finally {
            lock.unlock();
        }
    }

    static Map<String, UserRecord> parse(Iterable<String> lines) {
        var out = new LinkedHashMap<String, UserRecord>();
        for (var line : lines) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            var record = parseLine(line);
            if (record != null) {
                out.putIfAbsent(record.name(), record);
            }
        }
        return Map.copyOf(out);
    }

    private static UserRecord parseLine(String line) {
        var f = line.split(":", 8);
        if (f[0].isEmpty()) {
            return null;
        }
        return new UserRecord(f[0], field(f, 1), field(f, 2), field(f, 3), field(f, 5), extra(field(f, 7)));
    }

    private static String field(String[] fields, int i) {
        return i < fields.length ? fields[i] : "";
    }

    private static Map<String, String> extra(String text) {
        var out = new HashMap<String, String>();
        for (var token : text.strip().split("\\s+")) {
            if (token.isEmpty()) {
                continue;
            }
            int eq = token.indexOf('=');
            out.put(eq < 0 ? token : token.substring(0, eq), eq < 0 ? "" : token.substring(eq + 1));
        }
        return Map.copyOf(out);
    }
}
