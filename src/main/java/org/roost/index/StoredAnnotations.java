package org.roost.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.SequencedMap;
import org.roost.storage.MailStore;

/**
 * A store's annotations (RFC 5464) read and added to whole, wherever that store keeps them (its rows, or the files
 * beside its mailboxes), for {@code roost migrate}, which copies them from one store to another; sessions go through
 * {@link Annotations}, which also tells their listeners.
 */
public final class StoredAnnotations {
    private StoredAnnotations() {}

    /**
     * The entries of {@code mailbox} ({@link Annotations#SERVER}: the user's server entries) in {@code store}; none
     * where the store keeps no annotations.
     */
    public static SequencedMap<String, byte[]> read(MailStore store, String mailbox, Annotations.Limits limits)
            throws IOException {
        var kept = store.keptAnnotations();
        if (kept != null) {
            return kept.read(mailbox);
        }
        var file = file(store, mailbox);
        return file == null ? new LinkedHashMap<>() : AnnotationFile.read(file, limits.maxFileBytes());
    }

    /**
     * Sets the {@code entries} in {@code mailbox} of {@code store}, beside those it has; nothing where it keeps no
     * annotations.
     */
    public static void add(MailStore store, String mailbox, SequencedMap<String, byte[]> entries,
            Annotations.Limits limits, boolean fsync) throws IOException {
        if (entries.isEmpty()) {
            return;
        }
        var kept = store.keptAnnotations();
        if (kept != null) {
            kept.update(mailbox, stored -> {
                stored.putAll(entries);
                return null;
            });
            return;
        }
        var file = file(store, mailbox);
        if (file == null) {
            return;
        }
        var lock = AnnotationFile.lockOf(file);
        lock.lock();
        try {
            var stored = AnnotationFile.read(file, limits.maxFileBytes());
            stored.putAll(entries);
            Files.createDirectories(file.getParent());
            AnnotationFile.write(file, stored, fsync);
        } finally {
            lock.unlock();
        }
    }

    private static Path file(MailStore store, String mailbox) throws IOException {
        var directory = mailbox.equals(Annotations.SERVER) ? store.serverAnnotationDirectory()
                : store.annotationDirectory(mailbox);
        return directory == null ? null : directory.resolve(mailbox.equals(Annotations.SERVER)
                ? AnnotationFile.SERVER_FILE : AnnotationFile.MAILBOX_FILE);
    }
}
