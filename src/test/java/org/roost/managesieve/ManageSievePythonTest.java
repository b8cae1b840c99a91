package org.roost.managesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.testing.PythonScript;
import org.roost.testing.TestServer;

/** What ManageSieve client programs hide, from a raw Python socket: pipelining and a SCRAM exchange. */
class ManageSievePythonTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void pipeliningAndScram() throws Exception {
        try (var server = TestServer.start(dir, Map.of("ROOST_LISTENERS_MANAGESIEVE_ENABLED", "true",
                "ROOST_AUTH_SECURENETWORKS", "", "ROOST_AUTH_MECHANISMS", "PLAIN,SCRAM-SHA-256"));
                var script = PythonScript.start("managesieve/managesieve_raw.py",
                        Integer.toString(server.manageSievePort()), TestServer.ALICE, TestServer.ALICE_PASSWORD)) {
            assertEquals(0, script.exitCode(), String.join("\n", script.lines()));
            assertEquals(List.of("ok pipelined AUTHENTICATE with an initial response, then commands",
                    "ok LISTSCRIPTS marks the active script", "ok GETSCRIPT returns the octets stored",
                    "ok the server closes after LOGOUT", "ok SCRAM-SHA-256: the server proves it knows the password",
                    "ok SCRAM-SHA-256: an empty response to the final message logs in"), script.lines());
        }
    }
}
