package org.roost.mail;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SystemFlagTest {

    @Test
    void namesRoundTripCaseInsensitively() {
        for (var flag : SystemFlag.values()) {
            assertEquals(Optional.of(flag), SystemFlag.fromImapName(flag.imapName()));
            assertEquals(Optional.of(flag), SystemFlag.fromImapName(flag.imapName().toUpperCase()));
        }
        assertTrue(SystemFlag.fromImapName("\\Recent").isEmpty());
        assertTrue(SystemFlag.fromImapName("Seen").isEmpty());
    }
}
