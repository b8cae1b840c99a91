package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's exit codes and messages, in-process (the real process is ServeProcessIT). */
class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        assertEquals(2, run());
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("usage: roost serve"));
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help"));
        assertEquals(0, run("help"));
    }

    @Test
    void unknownCommandExitsTwo() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"), err());
    }

    @Test
    void unexpectedServeArgumentExitsTwo() {
        assertEquals(2, run("serve", "--config"));
        assertTrue(err().contains("unexpected argument '--config'"), err());
    }

    @Test
    void configErrorExitsTwoWithTheKeyPath(@TempDir Path dir) throws IOException {
        var config = dir.resolve("bad.yaml");
        Files.writeString(config, "listeners:\n  imap:\n    prot: 143\n");
        assertEquals(2, run("serve", "--config", config.toString()));
        assertTrue(err().startsWith("roost: configuration error:\n  listeners.imap.prot: unknown key"), err());
        assertFalse(err().contains("Exception"), err());
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
