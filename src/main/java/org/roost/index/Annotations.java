package org.roost.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import org.roost.mail.MailboxNotFoundException;
import org.roost.mail.StorageException;
import org.roost.storage.MailStore;

/**
 * One user's annotations (RFC 5464 metadata): each mailbox's, kept in a file its store moves and removes with
 * it (§4.1), and the user's own of the server (mailbox name {@code ""}). Entry names arrive valid and in lower
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
     * The entries of {@code mailbox} (of the server for {@link #SERVER}) by name.
     *
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     */
    public SequencedMap<String, byte[]> read(String mailbox) throws IOException {
        return AnnotationFile.read(file(mailbox), limits.maxFileBytes());
    }

    /**
     * Sets each entry of {@code changes} to its value, or removes it where the value is null; all or none.
     *
     * @throws TooMany if the entries would grow beyond {@link Limits#maxEntries()}
     * @throws MailboxNotFoundException if there is no such selectable mailbox
     */
    public void change(String mailbox, Map<String, byte[]> changes) throws IOException {
        var file = file(mailbox);
        var changed = new ArrayList<String>();
        var lock = AnnotationFile.lockOf(file);
        lock.lock();
        try {
            var entries = AnnotationFile.read(file, limits.maxFileBytes());
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
            if (!changed.isEmpty()) {
                if (!Files.isDirectory(file.getParent())) {
                    Files.createDirectories(file.getParent());
                }
                AnnotationFile.write(file, entries, fsync);
            }
        } finally {
            lock.unlock();
        }
        if (!changed.isEmpty()) {
            origin.announce(new MailboxEvent.AnnotationsChanged(mailbox, List.copyOf(changed), origin));
        }
    }

    private Path file(String mailbox) throws IOException {
        if (mailbox.equals(SERVER)) {
            return directory(store.serverAnnotationDirectory()).resolve(AnnotationFile.SERVER_FILE);
        }
        if (!store.exists(mailbox)) {
            throw new MailboxNotFoundException("no such mailbox: " + mailbox);
        }
        return directory(store.annotationDirectory(mailbox)).resolve(AnnotationFile.MAILBOX_FILE);
    }

    private static Path directory(Path directory) throws StorageException {
        if (directory == null) {
            throw new StorageException("this mail store keeps no annotations");
        }
        return directory;
    }
}
