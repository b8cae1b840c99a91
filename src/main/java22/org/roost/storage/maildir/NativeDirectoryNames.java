package org.roost.storage.maildir;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;
import static org.roost.storage.NativeCalls.EINTR;
import static org.roost.storage.NativeCalls.O_CLOEXEC;
import static org.roost.storage.NativeCalls.O_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.roost.storage.NativeCalls;

/**
 * {@code getdents64(2)} through the Foreign Function API (Java 22): the kernel fills one buffer with
 * many entries at a time, and each name is copied from it into the blocks, a name of ASCII as its
 * bytes, any other decoded as Java decodes file names (UTF-8; {@link DirectoryNames} checks) and
 * stored from that string, so that it names the same file as a {@code File.list} name would. No
 * object per entry (readdir would hand back a segment for each). Linux only: the layout of
 * {@code struct linux_dirent64} (d_ino, d_off, d_reclen, d_type, then the name) and the open flags
 * are Linux's on x86-64 and AArch64.
 */
final class NativeDirectoryNames implements DirectoryNames {
    private static final int O_DIRECTORY_X86 = 0x10000;
    private static final int O_DIRECTORY_ARM = 0x4000;
    private static final long RECORD_LENGTH = 16;
    private static final long NAME = 19;
    private static final int NAME_MAX = 255;
    private static final int BUFFER = 64 * 1024;

    private final MethodHandle getdents = NativeCalls.withErrno("getdents64",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private final int openFlags = O_RDONLY | O_CLOEXEC
            | (System.getProperty("os.arch", "").equals("aarch64") ? O_DIRECTORY_ARM : O_DIRECTORY_X86);

    @Override
    public long[] read(Path directory, KeyBytes into) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = NativeCalls.callState(arena);
            int fd = NativeCalls.open(state, arena, directory, openFlags);
            if (fd < 0) {
                throw new IOException("cannot list " + directory + " (errno " + NativeCalls.errno(state) + ")");
            }
            try {
                return readAll(fd, arena.allocate(BUFFER, 8), state, into, directory);
            } finally {
                NativeCalls.closeQuietly(fd);
            }
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("getdents64 of " + directory + " failed", t);
        }
    }

    private long[] readAll(int fd, MemorySegment buffer, MemorySegment state, KeyBytes into, Path directory)
            throws Throwable {
        var references = new long[256];
        int count = 0;
        var name = new byte[NAME_MAX + 1];
        for (long filled; (filled = (long) getdents.invokeExact(state, fd, buffer, (long) BUFFER)) != 0; ) {
            if (filled < 0) {
                if (NativeCalls.errno(state) == EINTR) {
                    continue;
                }
                throw new IOException("cannot list " + directory + " (errno " + NativeCalls.errno(state) + ")");
            }
            for (long at = 0; at < filled; at += Short.toUnsignedLong(buffer.get(JAVA_SHORT_UNALIGNED, at + RECORD_LENGTH))) {
                int length = 0;
                boolean ascii = true;
                for (byte b; length <= NAME_MAX && (b = buffer.get(JAVA_BYTE, at + NAME + length)) != 0; length++) {
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
        }
        return Arrays.copyOf(references, count);
    }
}
