package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import org.roost.mail.QuotaUsage;
import org.roost.storage.files.Durability;
import org.roost.storage.files.QuotaLedger;

/**
 * Maildir++ quota in the user's Maildir root: the {@link QuotaLedger} in {@code maildirsize}, as Courier and
 * Dovecot keep it, the administrator's limits in {@code roost-quota}, and the mail counted from the names of
 * the message files ({@code ,S=}) as Courier counts it.
 */
final class MaildirQuota implements QuotaLedger.Counter {
    static final String FILE = "maildirsize";
    static final String OVERRIDE_FILE = "roost-quota";
    /** A recalculation that saw the mail change under it counts again, this many times at most. */
    private static final int RECOUNTS = 3;

    private final Path root;

    private MaildirQuota(Path root) {
        this.root = root;
    }

    /** The quota bookkeeping of the Maildir at {@code root}. */
    static QuotaLedger of(Path root, Durability durability) {
        return new QuotaLedger(root.resolve(FILE), root.resolve(OVERRIDE_FILE), root.resolve("tmp"), durability,
                new MaildirQuota(root));
    }

    /**
     * Sums the mail in cur/ and new/ of INBOX and every folder; counted again when a directory changed during
     * the count (a delivery or an expunge meanwhile), as Courier does.
     */
    @Override
    public QuotaUsage count() throws IOException {
        QuotaUsage usage = QuotaUsage.ZERO;
        for (int attempt = 0; attempt < RECOUNTS; attempt++) {
            var directories = messageDirectories();
            var before = stamps(directories);
            usage = QuotaUsage.ZERO;
            for (var directory : directories) {
                usage = sum(directory, usage);
            }
            if (before.equals(stamps(directories))) {
                break;
            }
        }
        return usage;
    }

    private List<Path> messageDirectories() throws IOException {
        var folders = new ArrayList<Path>();
        folders.add(root);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, ".*")) {
            for (var entry : entries) {
                var name = entry.getFileName().toString();
                if (!name.equals("." + FolderNames.DELIMITER + FolderNames.TRASHED)
                        && Files.isDirectory(entry.resolve("cur"))) {
                    folders.add(entry);
                }
            }
        }
        var directories = new ArrayList<Path>();
        for (var folder : folders) {
            directories.add(folder.resolve("cur"));
            directories.add(folder.resolve("new"));
        }
        return directories;
    }

    private static List<QuotaLedger.Stamp> stamps(List<Path> directories) throws IOException {
        var stamps = new ArrayList<QuotaLedger.Stamp>(directories.size());
        for (var directory : directories) {
            stamps.add(QuotaLedger.Stamp.of(directory));
        }
        return stamps;
    }

    private static QuotaUsage sum(Path directory, QuotaUsage usage) throws IOException {
        long bytes = usage.storage();
        long messages = usage.messages();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (var path : files) {
                var name = path.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                var size = MaildirFileName.parse(name).size();
                if (size.isPresent()) {
                    bytes += size.getAsLong();
                    messages++;
                    continue;
                }
                try {
                    var attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isRegularFile()) {
                        bytes += attributes.size();
                        messages++;
                    }
                } catch (NoSuchFileException expungedMeanwhile) {
                    // the recount catches up
                }
            }
        } catch (NoSuchFileException folderGone) {
            // deleted meanwhile: nothing of it counts
        }
        return new QuotaUsage(bytes, messages);
    }

}
