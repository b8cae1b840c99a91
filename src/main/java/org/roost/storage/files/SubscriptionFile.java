package org.roost.storage.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import org.roost.mail.MailboxNameCodec;

/**
 * Dovecot's subscriptions file ({@code subscriptions} in a Maildir, {@code .subscriptions} in an mbox
 * directory). Version 2 starts with {@code "V\t2\n\n"} and writes each name's levels separated by
 * TAB, each level tab-escaped (\001 followed by 1, t, r or n for \001, TAB, CR, LF); version 1 has
 * one name per line with the hierarchy delimiter. Names on disk are modified UTF-7. Lines that do not
 * decode are skipped. Written whole through Dovecot's lock file.
 */
public final class SubscriptionFile {

    /** The store's canonical form of a name, or a refusal. */
    public interface Names {
        String canonical(String name) throws IOException;
    }

    private static final System.Logger LOG = System.getLogger(SubscriptionFile.class.getName());
    private static final String VERSION2_HEADER = "V\t2\n\n";

    private final Path file;
    private final char delimiter;
    private final Names names;
    private final DotLock.Timing timing;
    private final Durability durability;
    /** Serializes this process's read-change-write cycles; the dot lock serializes them with other processes. */
    private final ReentrantLock changes = new ReentrantLock();

    public SubscriptionFile(Path file, char delimiter, Names names, DotLock.Timing timing, Durability durability) {
        this.file = file;
        this.delimiter = delimiter;
        this.names = names;
        this.timing = timing;
        this.durability = durability;
    }

    public Set<String> read() throws IOException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.ISO_8859_1);
        } catch (NoSuchFileException e) {
            return new LinkedHashSet<>();
        }
        boolean version2 = text.startsWith(VERSION2_HEADER);
        if (version2) {
            text = text.substring(VERSION2_HEADER.length());
        }
        var subscribed = new LinkedHashSet<String>();
        for (var line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            var onDisk = version2 ? unescapeLevels(line) : line;
            try {
                subscribed.add(names.canonical(MailboxNameCodec.decode(onDisk)));
            } catch (IllegalArgumentException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: skipping undecodable subscription", file);
            }
        }
        return subscribed;
    }

    /** Subscribes {@code name} (a no-op when it is already). */
    public void subscribe(String name) throws IOException {
        var canonical = names.canonical(name);
        change(subscribed -> subscribed.add(canonical));
    }

    /** Unsubscribes {@code name} (a no-op when it is not). */
    public void unsubscribe(String name) throws IOException {
        var canonical = names.canonical(name);
        change(subscribed -> subscribed.remove(canonical));
    }

    /** Rewrites the file when {@code change} changed the names it was given. */
    private void change(Predicate<Set<String>> change) throws IOException {
        changes.lock();
        try {
            var subscribed = read();
            if (change.test(subscribed)) {
                write(subscribed);
            }
        } finally {
            changes.unlock();
        }
    }

    /** Writes the whole set through Dovecot's lock file, as version 2. */
    private void write(Set<String> subscribed) throws IOException {
        var out = new StringBuilder(VERSION2_HEADER);
        for (var name : subscribed) {
            var encoded = MailboxNameCodec.encode(name);
            out.append(encoded.replace(delimiter, '\t')).append('\n');
        }
        try (var lock = DotLock.acquire(file, timing, durability)) {
            lock.replace(out.toString());
        }
    }

    private String unescapeLevels(String line) {
        var out = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t') {
                out.append(delimiter);
            } else if (c == '\001' && i + 1 < line.length()) {
                char escaped = line.charAt(++i);
                out.append(switch (escaped) {
                    case '1' -> '\001';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    case 'n' -> '\n';
                    default -> escaped;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
