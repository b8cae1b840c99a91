package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;

/** The warm-up's two IMAP sessions run through on their own throwaway Maildir and leave nothing behind. */
class WarmUpTest {
    private static Set<Path> warmUpDirectories() throws IOException {
        try (var paths = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return paths.filter(p -> p.getFileName().toString().startsWith("roost-warm-up")).collect(Collectors.toSet());
        }
    }

    @Test
    void runsBothSessionsAndCleansUp(@TempDir Path data) throws Exception {
        var config = new ConfigLoader().load(null, Map.of("ROOST_DATA", data.toString()));
        var before = warmUpDirectories();
        assertTrue(WarmUp.run(config), "both sessions ran through");
        assertEquals(before, warmUpDirectories(), "its temporary Maildir is gone");
        try (var files = Files.list(data)) {
            assertEquals(0, files.count(), "nothing written to the server's own data directory");
        }
    }
}
