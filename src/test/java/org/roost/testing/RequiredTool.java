package org.roost.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * Outside programs a test drives (Postfix, swaks, Dovecot): under {@code CI=true}, where .ci/run installs them,
 * a missing one fails the test; elsewhere the test is skipped with a message saying what to install.
 */
public final class RequiredTool {
    private RequiredTool() {}

    /** Fails (CI) or skips (elsewhere) unless every command is on the PATH or in /usr/sbin, /usr/bin. */
    public static void require(String debianPackage, String... commands) {
        for (var command : commands) {
            if (!onPath(command)) {
                missing(command, debianPackage);
            }
        }
    }

    /** Fails (CI) or skips (elsewhere) unless {@code path}, which {@code debianPackage} installs, exists. */
    public static void requireFile(String debianPackage, Path path) {
        if (!Files.exists(path)) {
            missing(path.toString(), debianPackage);
        }
    }

    /** Fails (CI) or skips (elsewhere): {@code what}, which {@code debianPackage} installs, is missing. */
    public static void missing(String what, String debianPackage) {
        var message = what + " is not installed (apt-get install " + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; .ci/run installs it");
        }
        Assumptions.abort(message + "; skipping");
    }

    private static boolean onPath(String command) {
        var path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/sbin:/usr/bin";
        for (var dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
