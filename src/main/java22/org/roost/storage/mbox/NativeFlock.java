package org.roost.storage.mbox;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.roost.storage.NativeCalls.EINTR;
import static org.roost.storage.NativeCalls.O_CLOEXEC;
import static org.roost.storage.NativeCalls.O_RDONLY;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import org.roost.storage.NativeCalls;

/**
 * {@code flock(2)} through the Foreign Function API (Java 22): the file is opened read-only on a
 * descriptor of its own (flock needs no write access), locked without blocking, and closed to
 * unlock. Linux only: the constants are Linux's (the same on x86-64 and AArch64).
 */
final class NativeFlock implements Flock {
    private static final int LOCK_SH = 1;
    private static final int LOCK_EX = 2;
    private static final int LOCK_NB = 4;
    private static final int EWOULDBLOCK = 11;

    private final MethodHandle flock = NativeCalls.withErrno("flock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    @Override
    public HeldLock tryLock(Path file, boolean exclusive) throws IOException {
        try (var arena = Arena.ofConfined()) {
            var state = NativeCalls.callState(arena);
            int fd = NativeCalls.open(state, arena, file, O_RDONLY | O_CLOEXEC);
            if (fd < 0) {
                throw new IOException("cannot open " + file + " to flock it (errno " + NativeCalls.errno(state) + ")");
            }
            int rc = (int) flock.invokeExact(state, fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB);
            if (rc == 0) {
                return new Held(fd);
            }
            int error = NativeCalls.errno(state);
            NativeCalls.closeQuietly(fd);
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

    /** The descriptor holding the lock; closing it unlocks. */
    private static final class Held implements HeldLock {
        private final int fd;
        private boolean released;

        Held(int fd) {
            this.fd = fd;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                NativeCalls.closeQuietly(fd);
            }
        }
    }
}
