package org.roost.storage.mbox;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * {@code flock(2)} through the Foreign Function API (Java 22): the file is opened read-only on a
 * descriptor of its own (flock needs no write access), locked without blocking, and closed to
 * unlock. Linux only: the constants are Linux's (the same on x86-64 and AArch64).
 */
final class NativeFlock implements Flock {
    private static final int O_RDONLY = 0;
    private static final int O_CLOEXEC = 0x80000;
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EINTR = 4;
    private static final int EWOULDBLOCK = 11;

    private final MethodHandle open;
    private final MethodHandle flock;
    private final MethodHandle close;
    private final StructLayout callState;
    private final VarHandle errno;

    NativeFlock() {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        var captureErrno = Linker.Option.captureCallState("errno");
        callState = Linker.Option.captureStateLayout();
        errno = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        open = linker.downcallHandle(libc.find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), captureErrno,
                Linker.Option.firstVariadicArg(2));
        flock = linker.downcallHandle(libc.find("flock").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT), captureErrno);
        close = linker.downcallHandle(libc.find("close").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    }

    @Override
    public HeldLock tryLock(Path file, boolean exclusive) throws IOException {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(callState);
            int fd = (int) open.invokeExact(state, arena.allocateFrom(file.toString()), O_RDONLY | O_CLOEXEC, 0);
            if (fd < 0) {
                throw new IOException("cannot open " + file + " to flock it (errno " + errno(state) + ")");
            }
            int rc = (int) flock.invokeExact(state, fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
            if (rc == 0) {
                return new Held(fd);
            }
            int error = errno(state);
            closeQuietly(fd);
            if (error == EWOULDBLOCK || error == EINTR) {
                return null;
            }
            throw new IOException("flock of " + file + " failed (errno " + error + ")");
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException("flock call failed", t);
        }
    }

    private int errno(MemorySegment state) {
        return (int) errno.get(state, 0L);
    }

    private void closeQuietly(int fd) {
        try {
            int ignored = (int) close.invokeExact(fd);
        } catch (Throwable t) {
            // nothing more to do about a descriptor that will not close
        }
    }

    /** The descriptor holding the lock; closing it unlocks. */
    private final class Held implements HeldLock {
        private final int fd;
        private boolean released;

        Held(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                closeQuietly(fd);
            }
        }
    }
}
