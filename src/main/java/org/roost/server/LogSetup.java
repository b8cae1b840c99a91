package org.roost.server;

import java.time.Instant;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** One line per event on stderr: time, level, logger, message (System.Logger and Helidon go through JUL). */
final class LogSetup {
    private LogSetup() {}

    static void install() {
        LogManager.getLogManager().reset();
        var handler = new ConsoleHandler();
        handler.setFormatter(new OneLine());
        handler.setLevel(Level.ALL);
        var root = Logger.getLogger("");
        root.addHandler(handler);
        root.setLevel(Level.parse(System.getProperty("roost.logLevel", "INFO")));
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
