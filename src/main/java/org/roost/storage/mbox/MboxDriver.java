package org.roost.storage.mbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;

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
        for (var key : location == null ? Set.<String>of() : location.options().keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("mail.location: mbox locations take " + OPTIONS + ", not " + key);
            }
        }
        this.location = location;
        this.options = options;
        this.locking = new MboxLocking(options);
    }

    /** A driver that opens the stores of locations given to {@link #open(UserLocation)} only. */
    public MboxDriver(MboxOptions options) {
        this(null, options);
    }

    /** Every user's mail at the configured location. */
    @Override
    public UserLocation locate(String user) {
        if (location == null) {
            throw new IllegalStateException("this mbox driver has no mail location");
        }
        return new UserLocation(user, location, "");
    }

    /**
     * The store at {@code user}'s location, with the options of that location (the configured one's
     * {@code INBOX=} and {@code INDEX=}; a user database's {@code mail} field carries none).
     */
    @Override
    public MailStore open(UserLocation user) throws IOException {
        var at = user.location();
        var root = user.root();
        var inbox = at.path("INBOX", user.user(), user.home()).map(p -> p.toAbsolutePath().normalize())
                .orElse(root.resolve("inbox"));
        Path index;
        var indexOption = at.options().get("INDEX");
        if (indexOption == null) {
            index = root.resolve(".imap");
        } else if (indexOption.toUpperCase(Locale.ROOT).equals(MEMORY)) {
            index = null;
        } else {
            index = at.path("INDEX", user.user(), user.home()).orElseThrow().toAbsolutePath().normalize();
        }
        return new MboxStore(new MboxLayout(root, inbox, index), options, locking);
    }

    /** {@code user}'s store at the configured location: tools and tests. */
    public MailStore open(String user) throws IOException {
        return open(locate(user));
    }
}
