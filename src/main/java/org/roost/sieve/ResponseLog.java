package org.roost.sieve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a user's scripts already did that must not be done twice: vacation replies (one per sender and handle per
 * {@code :days}, RFC 5230 §4.2) and redirects of one message (so a delivery the MTA retries after a crash does not
 * forward again). Kept in {@code ~/.roost-sieve-responses}, one {@code EXPIRY KEY} line each, rewritten by rename
 * under a file lock (the server and {@code roost deliver} share it); at most {@link #MAX_ENTRIES} are kept, the
 * oldest expiring first.
 */
final class ResponseLog {
    static final String FILE = ".roost-sieve-responses";
    static final int MAX_ENTRIES = 10_000;

    private final Path file;
    private final boolean fsync;

    ResponseLog(Path home, boolean fsync) {
        this.file = home.resolve(FILE);
        this.fsync = fsync;
    }

    /** Whether {@code key} was recorded and has not expired. */
    boolean contains(String key, Instant now) throws IOException {
        return HomeFiles.locked(file, () -> read(now).containsKey(key));
    }

    /** Records {@code key} until {@code expiry}. */
    void record(String key, Instant expiry, Instant now) throws IOException {
        HomeFiles.locked(file, () -> {
            var entries = read(now);
            entries.remove(key);
            entries.put(key, expiry.getEpochSecond());
            while (entries.size() > MAX_ENTRIES) {
                entries.remove(entries.keySet().iterator().next());
            }
            write(entries);
            return null;
        });
    }

    /** Unexpired entries in the order written; damaged lines are skipped. */
    private Map<String, Long> read(Instant now) throws IOException {
        var entries = new LinkedHashMap<String, Long>();
        if (!Files.isRegularFile(file)) {
            return entries;
        }
        for (var line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            int space = line.indexOf(' ');
            try {
                long expiry = Long.parseLong(line.substring(0, Math.max(0, space)));
                if (expiry > now.getEpochSecond()) {
                    entries.put(line.substring(space + 1), expiry);
                }
            } catch (NumberFormatException damaged) {
                // a line another program or a crash left: skipped
            }
        }
        return entries;
    }

    private void write(Map<String, Long> entries) throws IOException {
        var text = new StringBuilder();
        entries.forEach((key, expiry) -> text.append(expiry).append(' ').append(key).append('\n'));
        HomeFiles.replace(file, text.toString().getBytes(StandardCharsets.UTF_8), fsync);
    }
}
