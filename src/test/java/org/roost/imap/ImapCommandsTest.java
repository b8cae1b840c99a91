package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.roost.auth.sasl.SaslMechanisms;
import org.roost.config.RoostConfig;
import org.roost.imap.command.Capability;
import org.roost.imap.command.CapabilityCommand;
import org.roost.imap.command.CopyCommand;
import org.roost.imap.command.ExpungeCommand;
import org.roost.imap.command.IdleCommand;
import org.roost.imap.command.SessionFacts;
import org.roost.imap.command.SessionState;
import org.roost.session.SessionServices;
import org.roost.testing.ImapCapabilities;

/** CAPABILITY is assembled from the registered executors: what is not registered is neither parsed nor advertised. */
class ImapCommandsTest {
    private static final ImapCommands STANDARD = ImapCommands.standard(new SessionServices(RoostConfig.defaults().limits(),
            List.of(), () -> null, null, List.of(SaslMechanisms.byName("PLAIN").orElseThrow(),
                    SaslMechanisms.byName("LOGIN").orElseThrow()), null, null, null, "localhost"));

    private static SessionFacts facts(SessionState state, boolean tls, boolean plaintextAllowed) {
        return new SessionFacts("s", "imap", state, Optional.empty(), tls, plaintextAllowed, Set.of(), true);
    }

    @Test
    void beforeLoginTheWaysInAreAdvertised() {
        assertEquals("CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS AUTH=PLAIN AUTH=LOGIN",
                STANDARD.capabilityData(facts(SessionState.NOT_AUTHENTICATED, false, true)));
        assertEquals("CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN",
                STANDARD.capabilityData(facts(SessionState.NOT_AUTHENTICATED, true, true)));
        assertEquals("CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 STARTTLS LOGINDISABLED",
                STANDARD.capabilityData(facts(SessionState.NOT_AUTHENTICATED, false, false)));
    }

    @Test
    void afterLoginTheExtensionsAreAdvertised() {
        var expected = "CAPABILITY " + ImapCapabilities.AFTER_LOGIN;
        assertEquals(expected, STANDARD.capabilityData(facts(SessionState.AUTHENTICATED, false, true)));
        assertEquals(expected, STANDARD.capabilityData(facts(SessionState.SELECTED, true, true)));
    }

    @Test
    void objectIdsAreAdvertisedOnlyForMailThatKeepsGuids() {
        var mbox = new SessionFacts("s", "imap", SessionState.AUTHENTICATED, Optional.of("u"), false, true, Set.of(),
                false);
        assertEquals("CAPABILITY " + ImapCapabilities.AFTER_LOGIN.replace(" OBJECTID", ""), STANDARD.capabilityData(mbox));
    }

    @Test
    void aCommandNotRegisteredIsNeitherParsedNorAdvertised() {
        var withoutMove = new ImapCommands(List.of(new CapabilityCommand(), new IdleCommand(), new ExpungeCommand()));
        assertEquals("CAPABILITY IMAP4rev1 LITERAL+ IDLE UIDPLUS",
                withoutMove.capabilityData(facts(SessionState.SELECTED, false, true)));
        assertFalse(withoutMove.grammar().rule("MOVE").isPresent());
        assertFalse(withoutMove.grammar().rule("UID MOVE").isPresent());
    }

    @Test
    void imap4rev2IsAdvertisedOnceEverythingItFoldsInIs() {
        var folded = ImapCommands.FOLDED_INTO_REV2.stream().sorted().map(Capability::afterLogin).toList();
        var complete = new ImapCommands(List.of(new CapabilityCommand()), folded);
        assertEquals("CAPABILITY IMAP4rev1 LITERAL+ IMAP4rev2",
                complete.capabilityData(facts(SessionState.NOT_AUTHENTICATED, false, true)));
        assertTrue(complete.capabilityData(facts(SessionState.AUTHENTICATED, false, true)).startsWith(
                "CAPABILITY IMAP4rev1 LITERAL+ IMAP4rev2 ENABLE ESEARCH"));
        for (var missing : folded) {
            var without = folded.stream().filter(c -> c != missing).toList();
            assertFalse(new ImapCommands(List.of(), without)
                    .capabilityData(facts(SessionState.AUTHENTICATED, false, true)).contains("IMAP4rev2"), missing.name());
        }
    }

    @Test
    void aNameHasOneExecutor() {
        assertThrows(IllegalArgumentException.class, () -> new ImapCommands(List.of(new CopyCommand(), new CopyCommand())));
    }
}
