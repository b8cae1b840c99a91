package org.roost.storage.maildir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;

/** Dovecot-compatible Maildir++ storage ({@code mail.location = maildir:/path/%u}). */
public final class MaildirDriver implements StorageDriver {

    private final MaildirOptions options;

    /** fsync on, Dovecot's lock timings. */
    public MaildirDriver() {
        this(MaildirOptions.defaults());
    }

    public MaildirDriver(MaildirOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    @Override
    public MailStore open(Path userRoot) throws IOException {
        return new MaildirStore(userRoot, options);
    }
}
