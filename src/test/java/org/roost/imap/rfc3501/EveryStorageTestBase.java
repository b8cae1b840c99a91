package org.roost.imap.rfc3501;

import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Protocol tests whose behaviour no storage format may change: each class runs once with Maildir and
 * once with mbox, the same assertions against both (the storage SPI hides the format).
 */
@ParameterizedClass(name = "{0}")
@ValueSource(strings = {"maildir", "mbox"})
abstract class EveryStorageTestBase extends ImapTestBase {
    @Parameter
    String storage;

    @Override
    String storage() {
        return storage;
    }
}
