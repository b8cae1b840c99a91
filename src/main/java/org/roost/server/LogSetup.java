package org.roost.server;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One line per event on stderr: time, level, logger, message (System.Logger and Helidon go through
 * JUL). At the default level the console carries Roost's own events: Helidon's start-up and stop
 * notices (which Roost's own lines repeat) and the warm-up's sessions are left out, their warnings
 * and errors are not.
 */
final class LogSetup {
    /** Held here: JUL keeps loggers only weakly, and would forget the level set on this one. */
    private static final Logger HELIDON = Logger.getLogger("io.helidon");
    /** HikariCP logs each broken connection with a stack trace; Roost's line for the failed lookup says it once. */
    private static final Logger HIKARI_CONNECTIONS = Logger.getLogger("com.zaxxer.hikari.pool.ProxyConnection");

    private LogSetup() {}

    static void install() {
        LogManager.getLogManager().reset();
        var handler = new ConsoleHandler();
        handler.setFormatter(new OneLine());
        handler.setLevel(Level.ALL);
        handler.setFilter(LogSetup::forConsole);
        var root = Logger.getLogger("");
        root.addHandler(handler);
        var level = Level.parse(System.getProperty("roost.logLevel", "INFO"));
        root.setLevel(level);
        if (level.intValue() >= Level.INFO.intValue()) {
            HELIDON.setLevel(Level.WARNING);
            HIKARI_CONNECTIONS.setLevel(Level.SEVERE);
        }
    }

    /** Called on the logging thread: the warm-up's routine lines are not the server's. */
    static boolean forConsole(LogRecord r) {
        return r.getLevel().intValue() >= Level.WARNING.intValue() || !WarmUp.onThisThread();
    }

    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord r) {
            var sb = new StringBuilder(160)
                    .append(Instant.ofEpochMilli(r.getMillis())).append(' ')
                    .append(r.getLevel().getName()).append(' ')
                    .append(shortName(r.getLoggerName())).append(": ")
                    .append(formatMessage(r));
            if (r.getThrown() != null) {
                sb.append(" | ").append(r.getThrown());
                for (var frame : r.getThrown().getStackTrace()) {
                    sb.append("\n    at ").append(frame);
                }
            }
            return sb.append('\n').toString();
        }

        private static String shortName(String name) {
            if (name == null) {
                return "-";
            }
            int dot = name.lastIndexOf('.');
            return dot < 0 ? name : name.substring(dot + 1);
        }
    }
}
