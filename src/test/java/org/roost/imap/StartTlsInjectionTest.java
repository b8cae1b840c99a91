package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.TestServer;

/**
 * CVE-2011-0411 class: plaintext pipelined after STARTTLS must not be executed inside the TLS
 * session (RFC 3501 §6.2.1, RFC 2595 §3.1: the server discards anything buffered before TLS).
 */
class StartTlsInjectionTest {

    @Test
    void commandInjectedAfterStarttlsIsNotExecuted(@TempDir Path dir) throws IOException {
        try (var server = TestServer.start(dir, Map.of("ROOST_AUTH_SECURENETWORKS", ""));
                var c = server.imap()) {
            c.greeting();
            var injected = "a STARTTLS\r\nb LOGIN " + TestServer.ALICE + " \"" + TestServer.ALICE_PASSWORD + "\"\r\n";
            c.write(injected.getBytes(StandardCharsets.US_ASCII));
            assertEquals("a OK Begin TLS negotiation now.", c.readLine());
            try {
                c.startTls();
            } catch (SSLException e) {
                // refusing the pipelined bytes by dropping the connection is a safe answer too
                return;
            }
            var caps = c.command("c", "CAPABILITY");
            assertEquals("* CAPABILITY IMAP4rev1 LITERAL+ SASL-IR ID ENABLE LOGIN-REFERRALS IMAP4rev2 AUTH=PLAIN AUTH=LOGIN", caps.getFirst(),
                    "still not authenticated: the injected LOGIN did not run");
            assertEquals("c OK CAPABILITY completed.", caps.getLast());
            assertFalse(caps.stream().anyMatch(l -> l.startsWith("b ")), "no answer to the injected command");
            assertTrue(server.server().sessions().list().stream().allMatch(s -> s.user().isEmpty()));
        }
    }
}
