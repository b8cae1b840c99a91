package org.roost.storage.maildir;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

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
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY_X86 = 0x10000;
    private static final int O_DIRECTORY_ARM = 0x4000;
    private static final int O_CLOEXEC = 0x80000;
    private static final int EINTR = 4;
    private static final long RECORD_LENGTH = 16;
    private static final long NAME = 19;
    private static final int NAME_MAX = 255;
    private static final int BUFFER = 64 * 1024;

    private final MethodHandle open;
    private final MethodHandle getdents;
    private final MethodHandle close;
    private final StructLayout callState;
    private final VarHandle errno;
    private final int openFlags;

    NativeDirectoryNames() {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        var captureErrno = Linker.Option.captureCallState("errno");
        callState = Linker.Option.captureStateLayout();
        errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        open = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), captureErrno,
                Linker.Option.firstVariadicArg(2));
        getdents = linker.downcallHandle(libc.find("getdents64").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), captureErrno);
        close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        openFlags = O_RDONLY | O_CLOEXEC
                | (System.getProperty("os.arch", "").equals("aarch64") ? O_DIRECTORY_ARM : O_DIRECTORY_X86);
    }

    @Override
    public long[] read(Path directory, KeyBytes into) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(callState);
            int fd = (int) open.invokeExact(state, arena.allocateFrom(directory.toString()), openFlags, 0);
            if (fd < 0) {
                throw new IOException("cannot list " + directory + " (errno " + errno(state) + ")");
            }
            try {
                return readAll(fd, arena.allocate(BUFFER, 8), state, into, directory);
            } finally {
                int ignored = (int) close.invokeExact(fd);
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
                if (errno(state) == EINTR) {
                    continue;
                }
                throw new IOException("cannot list " + directory + " (errno " + errno(state) + ")");
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

    private int errno(MemorySegment state) {
        return (int) errno.get(state, 0L);
    }
}
