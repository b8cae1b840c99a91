package org.roost.storage.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.roost.mail.MailboxNameCodec;
import org.roost.mail.SpecialUse;

/**
 * The special uses clients gave mailboxes (RFC 6154 CREATE ... USE), one file per store beside Dovecot's
 * subscriptions file: a line per mailbox, {@code <name in modified UTF-7> TAB <attribute> [SP <attribute>]...},
 * e.g. {@code Sent Items\t\Sent}. Dovecot does not read it and lists no mailbox for it. The stores move a
 * mailbox's line along when they rename it and drop it when they delete it. Written whole through the dot
 * lock; lines that do not decode, names the store refuses, unknown attributes and anything past
 * {@value #MAX_BYTES} bytes (the file is another program's to damage) are skipped.
 */
public final class SpecialUseFile {
    static final int MAX_BYTES = 1 << 20;
    private static final System.Logger LOG = System.getLogger(SpecialUseFile.class.getName());

    private final Path file;
    private final char delimiter;
    private final SubscriptionFile.Names names;
    private final DotLock.Timing timing;
    private final Durability durability;
    /** Serializes this process's read-change-write cycles; the dot lock serializes them with other processes. */
    private final ReentrantLock changes = new ReentrantLock();

    public SpecialUseFile(Path file, char delimiter, SubscriptionFile.Names names, DotLock.Timing timing,
            Durability durability) {
        this.file = file;
        this.delimiter = delimiter;
        this.names = names;
        this.timing = timing;
        this.durability = durability;
    }

    /** Canonical name -> its uses, never empty. */
    public Map<String, Set<SpecialUse>> read() throws IOException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        var uses = new LinkedHashMap<String, Set<SpecialUse>>();
        for (var line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab <= 0) {
                continue;
            }
            try {
                var name = names.canonical(MailboxNameCodec.decode(line.substring(0, tab)));
                var attributes = parse(line.substring(tab + 1));
                if (!attributes.isEmpty()) {
                    uses.put(name, attributes);
                }
            } catch (IllegalArgumentException | IOException e) {
                LOG.log(System.Logger.Level.WARNING, "{0}: skipping an undecodable line", file);
            }
        }
        return uses;
    }

    /** Gives {@code name} these uses (none: forgets it). */
    public void set(String name, Set<SpecialUse> uses) throws IOException {
        var canonical = names.canonical(name);
        change(all -> {
            all.remove(canonical);
            if (!uses.isEmpty()) {
                all.put(canonical, EnumSet.copyOf(uses));
            }
        });
    }

    /** A mailbox and its inferiors were renamed: their uses follow them. */
    public void renamed(String from, String to) throws IOException {
        change(all -> {
            var moved = new LinkedHashMap<String, Set<SpecialUse>>();
            all.entrySet().removeIf(entry -> {
                var name = entry.getKey();
                boolean below = name.equals(from) || name.startsWith(from + delimiter);
                if (below) {
                    moved.put(to + name.substring(from.length()), entry.getValue());
                }
                return below;
            });
            all.putAll(moved);
        });
    }

    /** A mailbox was deleted (its inferiors stay, with their uses). */
    public void deleted(String name) throws IOException {
        change(all -> all.remove(name));
    }

    private void change(Consumer<Map<String, Set<SpecialUse>>> change) throws IOException {
        changes.lock();
        try {
            var all = read();
            var before = Map.copyOf(all);
            change.accept(all);
            if (!all.equals(before)) {
                write(all);
            }
        } finally {
            changes.unlock();
        }
    }

    private void write(Map<String, Set<SpecialUse>> all) throws IOException {
        var out = new StringBuilder();
        all.forEach((name, uses) -> out.append(MailboxNameCodec.encode(name)).append('\t')
                .append(uses.stream().map(SpecialUse::attribute).collect(Collectors.joining(" "))).append('\n'));
        try (var lock = DotLock.acquire(file, timing, durability)) {
            lock.replace(out.toString());
        }
    }

    private static Set<SpecialUse> parse(String attributes) {
        var uses = EnumSet.noneOf(SpecialUse.class);
        for (var attribute : attributes.trim().split(" +")) {
            SpecialUse.named(attribute).filter(SpecialUse::supported).ifPresent(uses::add);
        }
        return uses;
    }
}
