package org.roost.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigLoader;

/** The warm-up's two IMAP sessions run through on their own throwaway Maildir and leave nothing behind. */
class WarmUpTest {
    @TempDir
    Path temp;

    /** Its sessions log like any other (a login, a close), and the console leaves every such line out. */
    @Test
    void itsRoutineLinesStayOffTheConsole(@TempDir Path data) throws Exception {
        var config = new ConfigLoader().load(null, Map.of("ROOST_DATA", data.toString()));
        var root = Logger.getLogger("");
        var savedLevel = root.getLevel();
        var lines = new CopyOnWriteArrayList<String>();
        var handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (LogSetup.forConsole(r)) {
                    lines.add(r.getLoggerName() + ": " + r.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        root.setLevel(Level.INFO);
        root.addHandler(handler);
        try {
            assertTrue(WarmUp.run(config, temp));
            Logger.getLogger(WarmUpTest.class.getName()).info("a line of the server's own");
        } finally {
            root.removeHandler(handler);
            root.setLevel(savedLevel);
        }
        assertEquals(List.of(WarmUpTest.class.getName() + ": a line of the server's own"), lines);
    }

    @Test
    void runsBothSessionsAndCleansUp(@TempDir Path data) throws Exception {
        var config = new ConfigLoader().load(null, Map.of("ROOST_DATA", data.toString()));
        assertTrue(WarmUp.run(config, temp), "both sessions ran through");
        try (var files = Files.list(temp)) {
            assertEquals(0, files.count(), "its temporary Maildir is gone");
        }
        try (var files = Files.list(data)) {
            assertEquals(0, files.count(), "nothing written to the server's own data directory");
        }
    }
}
