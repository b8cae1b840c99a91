package org.roost.storage;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

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
 * The libc calls the storage drivers make through the Foreign Function API (Java 22), in one place: the linker,
 * {@code errno} handed back through a call-state segment (the JVM may change {@code errno} between two calls of
 * its own), {@code open(2)} and {@code close(2)}. Linux only: the flag and errno values are Linux's (the same on
 * x86-64 and AArch64).
 */
public final class NativeCalls {
    public static final int O_RDONLY = 0;
    public static final int O_CLOEXEC = 0x80000;
    public static final int EINTR = 4;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPEN = LINKER.downcallHandle(find("open"),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = LINKER.downcallHandle(find("close"),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private NativeCalls() {}

    /** libc's {@code name}, called with a call state first, where it leaves {@code errno}. */
    public static MethodHandle withErrno(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(find(name), descriptor, CAPTURE_ERRNO);
    }

    /** A call state, from {@code arena}, for the calls made {@link #withErrno}. */
    public static MemorySegment callState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The {@code errno} the last call given {@code state} left there. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /** {@code open(2)} of {@code path}: its descriptor, or -1 with {@code errno} in {@code state}. */
    public static int open(MemorySegment state, Arena arena, Path path, int flags) throws Throwable {
        return (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, 0);
    }

    /** Closes {@code fd}; what close says is let go: nothing more can be done about a descriptor that will not close. */
    public static void closeQuietly(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(fd);
        } catch (Throwable t) {
            // see above
        }
    }

    private static MemorySegment find(String name) {
        return LINKER.defaultLookup().find(name).orElseThrow();
    }
}
