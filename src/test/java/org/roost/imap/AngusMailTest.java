package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * Angus Mail (Jakarta Mail), an independent Java client, logs in over IMAPS and STARTTLS.
 * Only what the foundation serves is used: connect (greeting, CAPABILITY, STARTTLS,
 * AUTHENTICATE PLAIN/LOGIN), isConnected (NOOP) and close (LOGOUT); folders come with the next issue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AngusMailTest {
    TestServer server;

    @BeforeAll
    void start(@TempDir Path dir) throws IOException {
        server = TestServer.start(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    private static Properties timeouts(String protocol) {
        var p = new Properties();
        p.setProperty("mail." + protocol + ".connectiontimeout", "20000");
        p.setProperty("mail." + protocol + ".timeout", "20000");
        return p;
    }

    private Store imapsStore() throws MessagingException {
        var p = timeouts("imaps");
        p.setProperty("mail.imaps.ssl.trust", "*");
        p.setProperty("mail.imaps.ssl.checkserveridentity", "false");
        return Session.getInstance(p).getStore("imaps");
    }

    private Store starttlsStore(boolean requireTls) throws MessagingException {
        var p = timeouts("imap");
        p.setProperty("mail.imap.starttls.enable", Boolean.toString(requireTls));
        p.setProperty("mail.imap.starttls.required", Boolean.toString(requireTls));
        p.setProperty("mail.imap.ssl.trust", "*");
        p.setProperty("mail.imap.ssl.checkserveridentity", "false");
        return Session.getInstance(p).getStore("imap");
    }

    @Test
    void loginOverImaps() throws MessagingException {
        var store = imapsStore();
        store.connect("127.0.0.1", server.imapsPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD);
        assertTrue(store.isConnected());
        assertTrue(((IMAPStore) store).hasCapability("IMAP4rev1"));
        assertFalse(((IMAPStore) store).hasCapability("STARTTLS"));
        store.close();
        assertFalse(store.isConnected());
        assertTrue(successfulLogins("imaps", "PLAIN") >= 1, "Angus uses AUTHENTICATE PLAIN when AUTH=PLAIN is offered");
    }

    private double successfulLogins(String protocol, String mechanism) {
        var counter = server.server().metrics().registry().find("roost_auth_attempts_total")
                .tags("protocol", protocol, "mechanism", mechanism, "result", "success").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void loginOverStarttls() throws MessagingException {
        var store = starttlsStore(true);
        store.connect("127.0.0.1", server.imapPort(), TestServer.BOB, TestServer.BOB_PASSWORD);
        assertTrue(store.isConnected());
        assertTrue(((IMAPStore) store).hasCapability("SASL-IR"));
        assertFalse(((IMAPStore) store).hasCapability("LOGINDISABLED"), "capabilities re-read after TLS");
        store.close();
        assertFalse(store.isConnected());
    }

    @Test
    void withoutTlsTheClientCannotLogIn() throws MessagingException {
        var store = starttlsStore(false);
        assertThrows(MessagingException.class,
                () -> store.connect("127.0.0.1", server.imapPort(), TestServer.ALICE, TestServer.ALICE_PASSWORD));
        assertFalse(store.isConnected());
    }

    @Test
    void wrongPasswordIsAnAuthenticationFailure() throws MessagingException {
        var store = imapsStore();
        assertThrows(AuthenticationFailedException.class,
                () -> store.connect("127.0.0.1", server.imapsPort(), TestServer.ALICE, "wrong"));
    }
}
