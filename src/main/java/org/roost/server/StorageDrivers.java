package org.roost.server;

import org.roost.storage.MailLocation;
import org.roost.storage.StorageDriver;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/** The one place that knows the storage drivers: the driver a {@code mail.location} names. */
final class StorageDrivers {
    private StorageDrivers() {}

    /** {@code maildir:/path/%u}; {@code fsync}: make every change durable before it is acknowledged. */
    static StorageDriver forLocation(String location, boolean fsync) {
        var parsed = MailLocation.parse(location);
        return switch (parsed.format()) {
            case "maildir" -> new MaildirDriver(parsed, MaildirOptions.defaults().withFsync(fsync));
            default -> throw new IllegalArgumentException("no storage driver for " + parsed.format() + ": locations");
        };
    }
}
