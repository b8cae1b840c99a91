package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * Debian's fetchmail retrieving from Roost into a local mbox, with "keep" (UIDLs remember what was
 * fetched) and "nokeep" (messages are deleted at QUIT). Skipped when fetchmail is not installed
 * (apt-get install fetchmail).
 */
class Pop3FetchmailInteropTest {
    @TempDir
    Path dir;
    TestServer server;
    Path home;
    Path mbox;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Interop.hasCommand("fetchmail"),
                "fetchmail is not installed (apt-get install fetchmail); skipping the fetchmail interop test");
        server = Pop3Users.server(dir.resolve("server"));
        home = Files.createDirectories(dir.resolve("home"));
        mbox = home.resolve("mbox");
        var deliver = home.resolve("deliver.sh");
        Files.writeString(deliver, "#!/bin/sh\n{ echo 'From fetchmail@localhost Thu Jan  1 00:00:00 1970'; "
                + "sed 's/^From />From /'; echo; } >> '" + mbox + "'\n");
        Files.setPosixFilePermissions(deliver, PosixFilePermissions.fromString("rwx------"));
        for (int i = 1; i <= 3; i++) {
            server.deliver("alice", "From: sender@example.org\r\nSubject: fetch " + i + "\r\n\r\n.line " + i + "\r\n");
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Runs fetchmail once; returns its exit code (0: mail fetched, 1: no new mail). */
    private int fetchmail(boolean implicitTls, boolean keep, StringBuilder log) throws Exception {
        var rc = home.resolve("fetchmailrc");
        var port = implicitTls ? server.pop3sPort() : server.pop3Port();
        Files.writeString(rc, """
                set no syslog
                poll localhost via 127.0.0.1 with proto POP3 port %d timeout 30
                  user "alice" there with password "secret" is "%s" here
                  options %s %s sslcertfile "%s" sslcertck sslcommonname "localhost"
                  mda "%s"
                """.formatted(port, System.getProperty("user.name"), keep ? "keep" : "nokeep",
                implicitTls ? "ssl" : "sslproto tls1.2+", server.certificate(), home.resolve("deliver.sh")));
        Files.setPosixFilePermissions(rc, PosixFilePermissions.fromString("rw-------"));
        var builder = new ProcessBuilder("fetchmail", "-f", rc.toString(), "-i", home.resolve("fetchids").toString(),
                "--pidfile", home.resolve("fetchmail.pid").toString(), "-v").redirectErrorStream(true);
        builder.environment().put("HOME", home.toString());
        builder.environment().put("FETCHMAILHOME", home.toString());
        var process = builder.start();
        var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(process.waitFor(120, TimeUnit.SECONDS), "fetchmail did not finish");
        log.append(output);
        return process.exitValue();
    }

    private int messagesInMbox() throws IOException {
        if (!Files.exists(mbox)) {
            return 0;
        }
        return (int) Pattern.compile("^From fetchmail@localhost ", Pattern.MULTILINE).matcher(Files.readString(mbox)).results().count();
    }

    @Test
    void keepOverPop3sFetchesEachMessageOnce() throws Exception {
        var log = new StringBuilder();
        assertEquals(0, fetchmail(true, true, log), log.toString());
        assertEquals(3, messagesInMbox(), log.toString());
        assertTrue(Files.readString(mbox).contains("\n.line 2\n"), "dot-stuffing undone by fetchmail");
        assertEquals(1, fetchmail(true, true, log), "the second run finds nothing new: " + log);
        assertEquals(3, messagesInMbox());
        server.deliver("alice", "From: sender@example.org\r\nSubject: fetch 4\r\n\r\nfour\r\n");
        assertEquals(0, fetchmail(true, true, log), log.toString());
        assertEquals(4, messagesInMbox());
        assertEquals(4, server.filesOnDisk("alice"), "keep leaves everything on the server");
        assertTrue(imapSelect().contains("* 4 EXISTS"), "IMAP sees exactly what POP3 left");
    }

    private String imapSelect() throws IOException {
        try (var imap = new Socket("127.0.0.1", server.imapPort())) {
            imap.setSoTimeout(20_000);
            OutputStream out = imap.getOutputStream();
            out.write("a LOGIN alice secret\r\nb SELECT INBOX\r\nc LOGOUT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(imap.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void nokeepOverStlsEmptiesTheMailboxAndImapAgrees() throws Exception {
        var log = new StringBuilder();
        assertEquals(0, fetchmail(false, false, log), log.toString());
        assertTrue(log.toString().contains("STLS"), "fetchmail upgraded with STLS: " + log);
        assertEquals(3, messagesInMbox(), log.toString());
        assertEquals(0, server.filesOnDisk("alice"));
        assertEquals(1, fetchmail(false, false, log), log.toString());
        var answer = imapSelect();
        assertTrue(answer.contains("* 0 EXISTS"), answer);
    }
}
