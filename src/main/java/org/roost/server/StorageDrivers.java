package org.roost.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
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
import org.roost.storage.mbox.LockMethod;
import org.roost.storage.mbox.MboxDriver;
import org.roost.storage.mbox.MboxOptions;
import org.roost.storage.postgres.PostgresDriver;

/**
 * The one place that knows the storage drivers: the driver a {@code mail.location} names, and where each user's
 * mail is, from their user database's {@code mail} and {@code home} fields (Dovecot's userdb lookup) within
 * {@code mail.allowedRoots}.
 */
final class StorageDrivers {
    private static final System.Logger LOG = System.getLogger(StorageDrivers.class.getName());
    private static final Set<String> FORMATS = Set.of("maildir", "mbox");
    private static final String POSTGRES = "postgres";

    private StorageDrivers() {}

    /**
     * The driver of the configured location alone, without a user database (the warm-up's scratch stores):
     * {@code maildir:/path/%u} or {@code mbox:/path/%u[:INBOX=...][:INDEX=...]}.
     */
    static StorageDriver forLocation(RoostConfig.Mail mail) {
        return forLocation(mail, mail.location());
    }

    /** The driver of {@code location} (a Maildir or mbox one) with the options of {@code mail}. */
    static StorageDriver forLocation(RoostConfig.Mail mail, String location) {
        var configured = configured(location);
        return configured.format().equals("mbox") ? new MboxDriver(configured, mboxOptions(mail))
                : new MaildirDriver(configured, maildirOptions(mail));
    }

    /**
     * {@code mail.fsync}: make every change durable before it is acknowledged. A {@code postgres:} location serves
     * every user from the database (its state under {@code data}); the user database's mail fields then do not
     * apply.
     */
    static StorageDriver forUsers(RoostConfig.Mail mail, Path data, PasswordDatabase users) throws IOException {
        var location = MailLocation.parse(mail.location());
        if (location.format().equals(POSTGRES)) {
            if (!location.options().isEmpty()) {
                throw new IllegalArgumentException("mail.location: postgres locations take no options");
            }
            return PostgresDriver.open(location, mail, data);
        }
        var configured = configured(mail.location());
        var maildir = new MaildirDriver(maildirOptions(mail));
        // a user database's mail field may name mbox even where the configured location is a Maildir
        var mbox = configured.format().equals("mbox") ? new MboxDriver(configured, mboxOptions(mail))
                : new MboxDriver(mboxOptions(mail));
        var roots = mail.allowedRoots().isEmpty() ? configured.fixedDirectory().map(List::of).orElse(List.of())
                : mail.allowedRoots();
        return new PerUser(new UserLocations(configured, FORMATS, roots), users, maildir, mbox);
    }

    private static MailLocation configured(String location) {
        var configured = MailLocation.parse(location);
        if (!FORMATS.contains(configured.format())) {
            throw new IllegalArgumentException("no storage driver for " + configured.format() + ": locations");
        }
        if (configured.format().equals("maildir") && !configured.options().isEmpty()) {
            throw new IllegalArgumentException("mail.location: maildir locations take no options");
        }
        return configured;
    }

    private static MaildirOptions maildirOptions(RoostConfig.Mail mail) {
        return MaildirOptions.defaults().withFsync(mail.fsync());
    }

    private static MboxOptions mboxOptions(RoostConfig.Mail mail) {
        var m = mail.mbox();
        return MboxOptions.defaults().withFsync(mail.fsync()).withLocks(
                m.readLocks().stream().map(LockMethod::parse).toList(),
                m.writeLocks().stream().map(LockMethod::parse).toList(), m.lockTimeout(), m.dotlockStale());
    }

    /** Each user's location from the user database; the stores from the driver of its format. */
    private record PerUser(UserLocations locations, PasswordDatabase users, MaildirDriver maildir, MboxDriver mbox)
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
                case "mbox" -> mbox.open(location);
                default -> throw new IllegalArgumentException("no storage driver for " + location.location().format());
            };
        }
    }

}
