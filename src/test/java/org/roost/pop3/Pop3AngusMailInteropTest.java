package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Session;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Properties;
import org.eclipse.angus.mail.pop3.POP3Folder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/** Angus Mail's POP3 provider (Jakarta Mail) against Roost: STLS required, and POP3S. */
class Pop3AngusMailInteropTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() throws Exception {
        server = Pop3Users.server(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
        server.deliver("alice", "Subject: first\r\nContent-Type: text/plain\r\n\r\nHello\r\n.\r\nBye\r\n");
        server.deliver("alice", "Subject: second\r\n\r\ntwo\r\n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Properties properties(String protocol) throws Exception {
        var props = new Properties();
        var prefix = "mail." + protocol + ".";
        props.put(prefix + "ssl.socketFactory", Pop3TestClient.sslContext(server.certificate()).getSocketFactory());
        props.put(prefix + "ssl.checkserveridentity", "true");
        props.put(prefix + "connectiontimeout", "20000");
        props.put(prefix + "timeout", "20000");
        if (protocol.equals("pop3")) {
            props.put(prefix + "starttls.enable", "true");
            props.put(prefix + "starttls.required", "true");
        }
        return props;
    }

    private void readDeleteAndQuit(String protocol, int port) throws Exception {
        var session = Session.getInstance(properties(protocol));
        try (var store = session.getStore(protocol)) {
            store.connect("127.0.0.1", port, "alice", "secret");
            var inbox = (POP3Folder) store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            assertEquals(2, inbox.getMessageCount());
            var first = inbox.getMessage(1);
            assertEquals("first", first.getSubject());
            assertEquals("Hello\r\n.\r\nBye\r\n", first.getContent(), "the lone dot line survives the round trip");
            var uids = new ArrayList<String>();
            for (var m : inbox.getMessages()) {
                uids.add(inbox.getUID(m));
            }
            assertTrue(uids.get(0).matches("00000001[0-9a-f]{8}") && uids.get(1).startsWith("00000002"), uids.toString());
            first.setFlag(Flags.Flag.DELETED, true);
            inbox.close(true);
        }
        assertEquals(1, server.filesOnDisk("alice"));
    }

    @Test
    void plainPop3WithRequiredStls() throws Exception {
        readDeleteAndQuit("pop3", server.pop3Port());
    }

    @Test
    void pop3s() throws Exception {
        readDeleteAndQuit("pop3s", server.pop3sPort());
    }
}
