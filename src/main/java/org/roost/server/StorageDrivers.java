package org.roost.server;

import org.roost.config.RoostConfig;
import org.roost.storage.MailLocation;
import org.roost.storage.StorageDriver;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;
import org.roost.storage.mbox.LockMethod;
import org.roost.storage.mbox.MboxDriver;
import org.roost.storage.mbox.MboxOptions;

/** The one place that knows the storage drivers: the driver a {@code mail.location} names. */
final class StorageDrivers {
    private StorageDrivers() {}

    /**
     * {@code maildir:/path/%u} or {@code mbox:/path/%u[:INBOX=...][:INDEX=...]}; {@code mail.fsync}: make every
     * change durable before it is acknowledged.
     */
    static StorageDriver forLocation(RoostConfig.Mail mail) {
        var parsed = MailLocation.parse(mail.location());
        return switch (parsed.format()) {
            case "maildir" -> {
                if (!parsed.options().isEmpty()) {
                    throw new IllegalArgumentException("mail.location: maildir locations take no options");
                }
                yield new MaildirDriver(parsed, MaildirOptions.defaults().withFsync(mail.fsync()));
            }
            case "mbox" -> new MboxDriver(parsed, mboxOptions(mail));
            default -> throw new IllegalArgumentException("no storage driver for " + parsed.format() + ": locations");
        };
    }

    private static MboxOptions mboxOptions(RoostConfig.Mail mail) {
        var m = mail.mbox();
        return MboxOptions.defaults().withFsync(mail.fsync()).withLocks(
                m.readLocks().stream().map(LockMethod::parse).toList(),
                m.writeLocks().stream().map(LockMethod::parse).toList(), m.lockTimeout(), m.dotlockStale());
    }
}
