package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/**
 * mbox storage compatible with UW-IMAP and Dovecot ({@code mail.location = mbox:/path/%u}, with
 * Dovecot's {@code :INBOX=/var/mail/%u} for the spool and {@code :INDEX=dir} or {@code :INDEX=MEMORY}
 * for index files).
 */
public final class MboxDriver implements StorageDriver {

    /** The location options this driver understands. */
    public static final Set<String> OPTIONS = Set.of("INBOX", "INDEX");
    private static final String MEMORY = "MEMORY";

    private final MailLocation location;
    private final MboxOptions options;
    private final MboxLocking locking;

    /**
     * @throws IllegalArgumentException for an option this driver does not know, or flock locking
     *                                  without the Java that offers it
     */
    public MboxDriver(MailLocation location, MboxOptions options) {
        for (var key : location.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("mail.location: mbox locations take " + OPTIONS + ", not " + key);
            }
        }
        this.location = location;
        this.options = options;
        this.locking = new MboxLocking(options);
    }

    @Override
    public MailStore open(String user) throws IOException {
        var root = location.root(user).toAbsolutePath().normalize();
        var inbox = location.path("INBOX", user).map(p -> p.toAbsolutePath().normalize()).orElse(root.resolve("inbox"));
        Path index;
        var indexOption = location.options().get("INDEX");
        if (indexOption == null) {
            index = root.resolve(".imap");
        } else if (indexOption.toUpperCase(Locale.ROOT).equals(MEMORY)) {
            index = null;
        } else {
            index = location.path("INDEX", user).orElseThrow().toAbsolutePath().normalize();
        }
        return new MboxStore(new MboxLayout(root, inbox, index), options, locking);
    }
}
