package org.roost.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import org.roost.auth.DatabaseUnavailable;
import org.roost.auth.LogText;
import org.roost.auth.PasswordDatabase;
import org.roost.auth.UserQuery;
import org.roost.config.RoostConfig;
import org.roost.mail.MailUnavailableException;
import org.roost.storage.MailLocation;
import org.roost.storage.MailStore;
import org.roost.storage.StorageDriver;
import org.roost.storage.UserLocation;
import org.roost.storage.UserLocations;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * The one place that knows the storage drivers: the driver a {@code mail.location} names, and where each user's
 * mail is, from their user database's {@code mail} and {@code home} fields (Dovecot's userdb lookup) within
 * {@code mail.allowedRoots}.
 */
final class StorageDrivers {
    private static final System.Logger LOG = System.getLogger(StorageDrivers.class.getName());
    private static final Set<String> FORMATS = Set.of("maildir");

    private StorageDrivers() {}

    /** {@code mail.fsync}: make every change durable before it is acknowledged. */
    static StorageDriver forUsers(RoostConfig.Mail mail, PasswordDatabase users) {
        var configured = MailLocation.parse(mail.location());
        if (!FORMATS.contains(configured.format())) {
            throw new IllegalArgumentException("no storage driver for " + configured.format() + ": locations");
        }
        var maildir = new MaildirDriver(MaildirOptions.defaults().withFsync(mail.fsync()));
        var roots = mail.allowedRoots().isEmpty() ? configured.fixedDirectory().map(List::of).orElse(List.of())
                : mail.allowedRoots();
        return new PerUser(new UserLocations(configured, FORMATS, roots), users, maildir);
    }

    /** Each user's location from the user database; the stores from the driver of its format. */
    private record PerUser(UserLocations locations, PasswordDatabase users, MaildirDriver maildir)
            implements StorageDriver {

        @Override
        public UserLocation locate(String user) throws IOException {
            try {
                var record = users.user(UserQuery.internal(user));
                return locations.of(user, record.flatMap(r -> r.mailLocation()), record.map(r -> r.home()).orElse(""));
            } catch (DatabaseUnavailable e) {
                LOG.log(Level.WARNING, "user {0}: mail not opened, the user database did not answer: {1}",
                        LogText.printable(user), e.getMessage());
                throw new MailUnavailableException("the user database did not answer");
            } catch (MailUnavailableException e) {
                LOG.log(Level.WARNING, "user {0}: mail location refused: {1}", LogText.printable(user),
                        e.getMessage());
                throw e;
            }
        }

        @Override
        public MailStore open(UserLocation location) throws IOException {
            return switch (location.location().format()) {
                case "maildir" -> maildir.open(location);
                default -> throw new IllegalArgumentException("no storage driver for " + location.location().format());
            };
        }
    }

}
