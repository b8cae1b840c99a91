package org.roost.storage.maildir;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the names in a directory into {@link KeyBytes}, in one pass. Where the Foreign Function
 * API is there (Java 22 or newer, on Linux, whose file names Java decodes as UTF-8) the names go from
 * the kernel's entries straight into the blocks, without a string each: {@code File.list} of a million
 * names makes a million strings, all alive until it returns, which the collector then copies.
 */
interface DirectoryNames {

    /** Stores the names in {@code directory} (not "." and "..") in {@code into}; returns their references. */
    long[] read(Path directory, KeyBytes into) throws IOException;

    /** The native reader where it works, else {@code File.list}. */
    static DirectoryNames best() {
        return Holder.BEST;
    }

    /** Through {@code File.list}: a string per name, copied into the blocks. */
    static long[] listed(Path directory, KeyBytes into) throws IOException {
        var names = directory.toFile().list();
        if (names == null) {
            throw new IOException("cannot list " + directory);
        }
        var references = new long[names.length];
        for (int i = 0; i < names.length; i++) {
            references[i] = into.add(names[i], names[i].length());
        }
        return references;
    }

    /** Grows {@code references} to hold at least one more. */
    static long[] grown(long[] references) {
        return Arrays.copyOf(references, Math.max(16, references.length * 2));
    }

    final class Holder {
        private static final DirectoryNames BEST = choose();

        private Holder() {
        }

        private static DirectoryNames choose() {
            var arch = System.getProperty("os.arch", "");
            boolean linux = System.getProperty("os.name", "").equalsIgnoreCase("Linux")
                    && (arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"));
            boolean utf8Names = StandardCharsets.UTF_8.name().equalsIgnoreCase(System.getProperty("sun.jnu.encoding", ""));
            if (Runtime.version().feature() >= 22 && linux && utf8Names) {
                try {
                    return (DirectoryNames) Class.forName("org.roost.storage.maildir.NativeDirectoryNames")
                            .getDeclaredConstructor().newInstance();
                } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException
                         | IllegalAccessException | InvocationTargetException | LinkageError e) {
                    // no native access: File.list below
                }
            }
            return DirectoryNames::listed;
        }
    }
}
