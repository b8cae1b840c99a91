package org.roost.pop3;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the outside clients the interop tests drive. */
final class Interop {
    private Interop() {}

    /** True when {@code command} is an executable on the PATH (or in /usr/bin, /usr/sbin). */
    static boolean hasCommand(String command) {
        var path = System.getenv().getOrDefault("PATH", "") + File.pathSeparator + "/usr/bin:/usr/sbin";
        for (var dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
