package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import org.roost.mail.StoredMessage;

/**
 * Unique base names for new message files, in the Maildir style Dovecot uses:
 * {@code <seconds>.M<microseconds>P<pid>Q<counter>.<host>}. The counter makes names unique
 * within this process; the pid and host across processes and machines.
 */
final class UniqueNames {

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final long PID = ProcessHandle.current().pid();
    private static final String HOST = escapeHost(readHostName());

    private UniqueNames() {
    }

    static String next() {
        var now = Instant.now();
        return now.getEpochSecond() + ".M" + (now.getNano() / 1000) + "P" + PID
                + "Q" + COUNTER.incrementAndGet() + "." + HOST;
    }

    /** {@code next()} plus Dovecot's size fields, each only when known. */
    static String next(long size, long virtualSize) {
        return next() + (size == StoredMessage.UNKNOWN_SIZE ? "" : ",S=" + size)
                + (virtualSize == StoredMessage.UNKNOWN_SIZE ? "" : ",W=" + virtualSize);
    }

    private static String readHostName() {
        try {
            var name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).trim();
            if (!name.isEmpty()) {
                return name;
            }
        } catch (IOException | SecurityException e) {
            // not Linux, or hidden: fall through
        }
        var env = System.getenv("HOSTNAME");
        return env == null || env.isBlank() ? "localhost" : env.trim();
    }

    /** Maildir's escapes for '/' and ':', and ',' so the size fields stay unambiguous. */
    static String escapeHost(String host) {
        var out = new StringBuilder();
        for (char c : host.toCharArray()) {
            switch (c) {
                case '/' -> out.append("\\057");
                case ':' -> out.append("\\072");
                case ',' -> out.append("\\054");
                default -> out.append(c < 0x21 || c > 0x7e ? '_' : c);
            }
        }
        return out.toString();
    }
}
