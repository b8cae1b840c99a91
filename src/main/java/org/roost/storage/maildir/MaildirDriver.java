package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/** Dovecot-compatible Maildir++ storage ({@code mail.location = maildir:/path/%u}). */
public final class MaildirDriver implements StorageDriver {

    private final MailLocation location;
    private final MaildirOptions options;

    /** A driver that opens stores by path only ({@link #open(Path)}): tools and tests; fsync on, Dovecot's lock timings. */
    public MaildirDriver() {
        this(MaildirOptions.defaults());
    }

    /** A driver that opens stores by path only ({@link #open(Path)}). */
    public MaildirDriver(MaildirOptions options) {
        this(null, options);
    }

    /** The users' Maildirs under {@code location} ({@code maildir:/var/mail/%u}). */
    public MaildirDriver(MailLocation location, MaildirOptions options) {
        this.location = location;
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public MailStore open(String user) throws IOException {
        if (location == null) {
            throw new IllegalStateException("this Maildir driver has no mail location");
        }
        return open(location.root(user));
    }

    /** The Maildir rooted at {@code userRoot}. */
    public MailStore open(Path userRoot) throws IOException {
        return new MaildirStore(userRoot, options);
    }
}
