package org.roost.imap.rfc3501;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protocol tests whose behaviour no storage format may change: each class runs once with Maildir, once with
 * mbox and once with the database store (PostgreSQL and S3), the same assertions against all (the storage SPI
 * hides the format).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"maildir", "mbox", "postgres"})
abstract class EveryStorageTestBase extends ImapTestBase {
    @Parameter
    String storage;

    @Override
    String storage() {
        return storage;
    }
}
