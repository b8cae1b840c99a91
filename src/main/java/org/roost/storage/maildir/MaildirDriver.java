package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;

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

    /** Every user's mail at the configured location. */
    @Override
    public UserLocation locate(String user) {
        if (location == null) {
            throw new IllegalStateException("this Maildir driver has no mail location");
        }
        return new UserLocation(user, location, "");
    }

    @Override
    public MailStore open(UserLocation user) throws IOException {
        return open(user.root());
    }

    /** The Maildir rooted at {@code userRoot}. */
    public MailStore open(Path userRoot) throws IOException {
        return new MaildirStore(userRoot, options);
    }
}
