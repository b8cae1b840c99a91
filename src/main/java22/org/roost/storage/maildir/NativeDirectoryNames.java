package org.roost.storage.maildir;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code opendir/readdir/closedir} through the Foreign Function API (Java 22): each entry's name is
 * copied from the kernel's {@code struct dirent} into the blocks, a name of ASCII as its bytes, any
 * other decoded as Java decodes file names (UTF-8; {@link DirectoryNames} checks) and stored from
 * that string, so that it names the same file as a {@code File.list} name would. Linux only: the layout of
 * {@code struct dirent} (d_name after d_ino, d_off, d_reclen and d_type) is Linux's on x86-64 and
 * AArch64. A read error ends the listing as {@code File.list}'s does.
 */
final class NativeDirectoryNames implements DirectoryNames {
    private static final long NAME_OFFSET = 19;
    private static final int NAME_MAX = 255;

    private final MethodHandle opendir;
    private final MethodHandle readdir;
    private final MethodHandle closedir;

    NativeDirectoryNames() {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        opendir = linker.downcallHandle(libc.find("opendir").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS));
        readdir = linker.downcallHandle(libc.find("readdir").orElseThrow(), FunctionDescriptor.of(ADDRESS, ADDRESS));
        closedir = linker.downcallHandle(libc.find("closedir").orElseThrow(), FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    @Override
    public long[] read(Path directory, KeyBytes into) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var stream = (MemorySegment) opendir.invokeExact(arena.allocateFrom(directory.toString()));
            if (stream.equals(MemorySegment.NULL)) {
                throw new IOException("cannot list " + directory);
            }
            try {
                return readAll(stream, into);
            } finally {
                int ignored = (int) closedir.invokeExact(stream);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("readdir of " + directory + " failed", t);
        }
    }

    private long[] readAll(MemorySegment stream, KeyBytes into) throws Throwable {
        var references = new long[256];
        int count = 0;
        var name = new byte[NAME_MAX + 1];
        for (MemorySegment entry; !(entry = (MemorySegment) readdir.invokeExact(stream)).equals(MemorySegment.NULL); ) {
            var dirent = entry.reinterpret(NAME_OFFSET + NAME_MAX + 1);
            int length = 0;
            boolean ascii = true;
            for (byte b; length <= NAME_MAX && (b = dirent.get(JAVA_BYTE, NAME_OFFSET + length)) != 0; length++) {
                name[length] = b;
                ascii &= b > 0;
            }
            if (name[0] == '.' && (length == 1 || length == 2 && name[1] == '.')) {
                continue;
            }
            if (count == references.length) {
                references = DirectoryNames.grown(references);
            }
            if (ascii) {
                references[count++] = into.add(name, 0, length);
            } else {
                var decoded = new String(name, 0, length, StandardCharsets.UTF_8);
                references[count++] = into.add(decoded, decoded.length());
            }
        }
        return Arrays.copyOf(references, count);
    }
}
