package org.roost.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A lock another mail program holds on an mbox ({@code src/test/resources/mbox/hold_lock.py}: fcntl,
 * flock or a dot-lock, as mutt, procmail and mail.local take them) until it is closed.
 */
public final class ForeignMboxLock implements AutoCloseable {
    private final Process holder;

    private ForeignMboxLock(Process holder) {
        this.holder = holder;
    }

    /** Returns once the other program holds {@code method} ({@code fcntl}, {@code flock}, {@code dotlock}) on {@code mbox}. */
    public static ForeignMboxLock hold(String method, Path mbox) throws IOException {
        var script = Path.of("src/test/resources/mbox/hold_lock.py").toAbsolutePath();
        var holder = new ProcessBuilder("python3", script.toString(), method, mbox.toString())
                .redirectErrorStream(true).start();
        var line = holder.inputReader().readLine();
        if (line == null || !line.startsWith("held ")) {
            holder.destroyForcibly();
            throw new IOException("hold_lock.py did not take the " + method + " lock: " + line);
        }
        return new ForeignMboxLock(holder);
    }

    /** The program lets go of the lock and ends. */
    @Override
    public void close() throws IOException {
        holder.getOutputStream().close();
        try {
            if (!holder.waitFor(30, TimeUnit.SECONDS) || holder.exitValue() != 0) {
                throw new IOException("hold_lock.py did not let go cleanly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        } finally {
            holder.destroyForcibly();
        }
    }
}
