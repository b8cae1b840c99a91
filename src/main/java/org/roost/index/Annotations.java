package org.roost.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StorageException;
import org.roost.storage.MailStore;

/**
 * One user's annotations (RFC 5464 metadata): each mailbox's, kept in a file its store moves and removes with
 * it (§4.1), or in the store's own records ({@link MailStore#keptAnnotations()}: a database), and the user's own of
 * the server (mailbox name {@code ""}). Entry names arrive valid and in lower
 * case (the protocol checks them, §3.2); values are octets. A change is all or nothing (§4.3), durable when the
 * method returns, and told to the user's listeners as {@link MailboxEvent.AnnotationsChanged}.
 */
public final class Annotations {
    /** The server's annotations, as a mailbox name. */
    public static final String SERVER = "";

    /** A change would leave more entries than allowed (RFC 5464 §4.3 {@code [METADATA TOOMANY]}). */
    public static final class TooMany extends StorageException {
        public TooMany(String message) {
            super(message);
        }
    }

    /**
     * The bounds of one file: {@code maxEntries} entries of at most {@code maxValueSize} octets, named in at most
     * {@code maxNameLength}.
     */
    public record Limits(int maxEntries, long maxValueSize, int maxNameLength) {
        /** What a file within these bounds can take up: more is not read. */
        long maxFileBytes() {
            return 64 + (long) maxEntries * (maxValueSize + maxNameLength + 32);
        }
    }

    private final Mailboxes origin;
    private final MailStore store;
    private final boolean fsync;
    private final Limits limits;

    Annotations(Mailboxes origin, MailStore store, boolean fsync, Limits limits) {
        this.origin = origin;
        this.store = store;
        this.fsync = fsync;
        this.limits = limits;
    }

    /**
     * The entries of {@code mailbox} (of the server for {@link #SERVER}) by name. On another user's (or the public)
     * mailbox: its {@code /shared} entries, and this user's own {@code /private} ones.
     *
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     */
    public SequencedMap<String, byte[]> read(String mailbox) throws IOException {
        var kept = store.keptAnnotations();
        if (kept != null) {
            return kept.read(mailbox);
        }
        if (mailbox.equals(SERVER)) {
            return AnnotationFile.read(serverFile(), limits.maxFileBytes());
        }
        var place = origin.annotationPlace(mailbox);
        var entries = AnnotationFile.read(place.file(), limits.maxFileBytes());
        if (!place.foreign()) {
            return entries;
        }
        entries.keySet().removeIf(Annotations::isPrivate);
        if (place.privateFile() != null) {
            AnnotationFile.read(place.privateFile(), limits.maxFileBytes()).forEach((name, value) -> {
                if (isPrivate(name)) {
                    entries.put(name, value);
                }
            });
        }
        return entries;
    }

    /**
     * Sets each entry of {@code changes} to its value, or removes it where the value is null; all or none. On
     * another user's (or the public) mailbox, {@code /shared} entries are the mailbox's and {@code /private} ones
     * this user's own (RFC 5464 §3.3), each told to whose they are.
     *
     * @throws TooMany if the entries would grow beyond {@link Limits#maxEntries()}
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     */
    public void change(String mailbox, Map<String, byte[]> changes) throws IOException {
        var kept = store.keptAnnotations();
        if (kept != null) {
            told(origin, mailbox, changes.isEmpty() ? List.of() : kept.update(mailbox, entries -> apply(entries, changes)));
            return;
        }
        if (mailbox.equals(SERVER)) {
            told(origin, mailbox, changeIn(serverFile(), changes));
            return;
        }
        var place = origin.annotationPlace(mailbox);
        if (!place.foreign()) {
            told(origin, mailbox, changeIn(place.file(), changes));
            return;
        }
        var shared = new LinkedHashMap<String, byte[]>();
        var own = new LinkedHashMap<String, byte[]>();
        changes.forEach((name, value) -> (isPrivate(name) ? own : shared).put(name, value));
        if (!own.isEmpty() && place.privateFile() == null) {
            throw new StorageException("no place for this user's private annotations of " + mailbox);
        }
        if (!own.isEmpty() && !shared.isEmpty()) {
            fits(place.file(), shared); // all or none: neither is written when one would grow too large
        }
        if (!own.isEmpty()) {
            told(origin, mailbox, changeIn(place.privateFile(), own));
        }
        told(place.owner(), place.name(), changeIn(place.file(), shared));
    }

    private static boolean isPrivate(String name) {
        return name.equals("/private") || name.startsWith("/private/");
    }

    /** Throws {@link TooMany} when {@code changes} would leave {@code file} with too many entries. */
    private void fits(Path file, Map<String, byte[]> changes) throws IOException {
        apply(AnnotationFile.read(file, limits.maxFileBytes()), changes);
    }

    /** Applies {@code changes} to {@code file}; returns the names of the entries that changed. */
    private List<String> changeIn(Path file, Map<String, byte[]> changes) throws IOException {
        var changed = new ArrayList<String>();
        if (changes.isEmpty()) {
            return changed;
        }
        var lock = AnnotationFile.lockOf(file);
        lock.lock();
        try {
            var entries = AnnotationFile.read(file, limits.maxFileBytes());
            changed.addAll(apply(entries, changes));
            if (!changed.isEmpty()) {
                if (!Files.isDirectory(file.getParent())) {
                    Files.createDirectories(file.getParent());
                }
                AnnotationFile.write(file, entries, fsync);
            }
        } finally {
            lock.unlock();
        }
        return changed;
    }

    /**
     * Applies {@code changes} to {@code entries}; returns the names of the entries that changed.
     *
     * @throws TooMany if the entries grew beyond {@link Limits#maxEntries()}
     */
    private List<String> apply(Map<String, byte[]> entries, Map<String, byte[]> changes) throws TooMany {
        var changed = new ArrayList<String>();
        int before = entries.size();
        for (var change : changes.entrySet()) {
            var old = change.getValue() == null ? entries.remove(change.getKey())
                    : entries.put(change.getKey(), change.getValue());
            if (!Arrays.equals(old, change.getValue())) {
                changed.add(change.getKey());
            }
        }
        if (entries.size() > limits.maxEntries() && entries.size() > before) {
            throw new TooMany("more than " + limits.maxEntries() + " annotations");
        }
        return changed;
    }

    /** Tells the listeners of {@code whose} mail that the entries {@code changed} of {@code mailbox} changed. */
    private static void told(Mailboxes whose, String mailbox, List<String> changed) {
        if (!changed.isEmpty()) {
            whose.announce(new MailboxEvent.AnnotationsChanged(mailbox, List.copyOf(changed), whose));
        }
    }

    private Path serverFile() throws StorageException {
        return directory(store.serverAnnotationDirectory()).resolve(AnnotationFile.SERVER_FILE);
    }

    private static Path directory(Path directory) throws StorageException {
        if (directory == null) {
            throw new StorageException("this mail store keeps no annotations");
        }
        return directory;
    }
}
