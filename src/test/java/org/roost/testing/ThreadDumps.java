package org.roost.testing;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The stacks of this JVM's threads, virtual ones included, for a failure message that must say what hung. */
public final class ThreadDumps {
    private ThreadDumps() {}

    /** Every thread whose name or stack mentions one of {@code words}, as {@code jcmd Thread.dump_to_file} prints it. */
    public static String mentioning(String... words) {
        try {
            var file = Files.createTempFile("roost-threads", ".txt");
            Files.delete(file);
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .dumpThreads(file.toString(), ThreadDumpFormat.TEXT_PLAIN);
            var dump = Files.readString(file);
            Files.delete(file);
            return Arrays.stream(dump.split("\n\\s*\n"))
                    .filter(thread -> Arrays.stream(words).anyMatch(thread::contains))
                    .collect(Collectors.joining("\n\n"));
        } catch (IOException e) {
            return "no thread dump: " + e;
        }
    }
}
