package org.roost.storage.mbox;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * BSD {@code flock(2)} locks, which Java's file channels do not offer (they take POSIX record locks).
 * The implementation calls the C library through the Foreign Function API, final in Java 22; the
 * build compiles it separately for Java 22 ({@code src/main/java22}), and on Java 21 there is none.
 */
interface Flock {

    /**
     * Locks {@code file} on a descriptor of its own (flock locks belong to an open file, so this
     * never interferes with the fcntl locks or reads of other channels); null when another holds it.
     */
    HeldLock tryLock(Path file, boolean exclusive) throws IOException;

    /**
     * The native implementation on Linux (its flags and errno values are Linux's) when the running Java
     * has the Foreign Function API (22 or newer).
     */
    static Optional<Flock> available() {
        if (Runtime.version().feature() < 22 || !System.getProperty("os.name", "").equalsIgnoreCase("Linux")) {
            return Optional.empty();
        }
        try {
            return Optional.of((Flock) Class.forName("org.roost.storage.mbox.NativeFlock")
                    .getDeclaredConstructor().newInstance());
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException
                 | InvocationTargetException | LinkageError e) {
            return Optional.empty();
        }
    }
}
