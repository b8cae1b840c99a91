package org.roost.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time and memory of a server process and all its descendants, from Linux /proc: what a
 * fair Dovecot-vs-Roost comparison needs, since Dovecot is a tree of processes (master, login,
 * auth, one imap per client in its stock setup) and Roost is one JVM.
 * CPU counts utime+stime of the living processes plus cutime+cstime (children already reaped),
 * so the work of Dovecot's short-lived imap processes is not lost when they exit.
 */
public final class ProcStats {
    /** USER_HZ: the unit of /proc/PID/stat times; 100 on every mainstream Linux build. */
    private static final double TICKS_PER_SECOND = 100.0;

    /** {@code peakRssKb}: the sum of each living process's resident high-water mark (VmHWM). */
    public record Snapshot(int processes, double cpuSeconds, long rssKb, long pssKb, long peakRssKb) {
    }

    private ProcStats() {
    }

    public static boolean available() {
        return Files.isDirectory(Path.of("/proc/self"));
    }

    public static Snapshot of(long rootPid) {
        var pids = tree(rootPid);
        double cpu = 0;
        long rss = 0;
        long pss = 0;
        long peak = 0;
        for (long pid : pids) {
            cpu += cpuSeconds(pid);
            rss += statusKb(pid, "VmRSS:");
            pss += pssKb(pid);
            peak += statusKb(pid, "VmHWM:");
        }
        return new Snapshot(pids.size(), cpu, rss, pss, peak);
    }

    /** {@code rootPid} and every process below it. */
    public static List<Long> tree(long rootPid) {
        var children = new HashMap<Long, List<Long>>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : (Iterable<Path>) dirs::iterator) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long ppid = parentOf(Long.parseLong(name));
                if (ppid > 0) {
                    children.computeIfAbsent(ppid, k -> new ArrayList<>()).add(Long.parseLong(name));
                }
            }
        } catch (IOException e) {
            return List.of(rootPid);
        }
        var out = new ArrayList<Long>();
        collect(rootPid, children, out);
        return out;
    }

    private static void collect(long pid, Map<Long, List<Long>> children, List<Long> out) {
        out.add(pid);
        for (long child : children.getOrDefault(pid, List.of())) {
            collect(child, children, out);
        }
    }

    /** The fields after the command name of /proc/PID/stat (the name may hold spaces). */
    private static String[] statFields(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static long parentOf(long pid) {
        String[] f = statFields(pid);
        return f == null ? -1 : Long.parseLong(f[1]);
    }

    /** utime, stime, cutime, cstime are fields 14-17 of stat, i.e. 11-14 after the name. */
    static double cpuSeconds(long pid) {
        String[] f = statFields(pid);
        if (f == null) {
            return 0;
        }
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks / TICKS_PER_SECOND;
    }

    private static long statusKb(long pid, String key) {
        return fieldKb(Path.of("/proc", Long.toString(pid), "status"), key);
    }

    private static long pssKb(long pid) {
        return fieldKb(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    private static long fieldKb(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }

    /**
     * Used heap of a JVM after a full GC, by {@code jcmd} (the JDK that runs this generator
     * has one); -1 when it cannot be asked (not a JVM, no permission, no jcmd).
     */
    public static long jvmHeapUsedKb(long pid) {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        if (!Files.isExecutable(jcmd)) {
            return -1;
        }
        try {
            run(jcmd.toString(), Long.toString(pid), "GC.run");
            String info = run(jcmd.toString(), Long.toString(pid), "GC.heap_info");
            return heapUsedKb(info);
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /**
     * The used heap in a {@code GC.heap_info} answer: the sum over the heap's lines (one for G1 and
     * ZGC, one per generation for the serial and parallel collectors), before Metaspace's.
     */
    static long heapUsedKb(String heapInfo) {
        long used = -1;
        var pattern = java.util.regex.Pattern.compile("used (\\d+)K");
        for (String line : heapInfo.lines().toList()) {
            if (line.contains("Metaspace")) {
                break;
            }
            var m = pattern.matcher(line);
            if (m.find()) {
                used = Math.max(used, 0) + Long.parseLong(m.group(1));
            }
        }
        return used;
    }

    private static String run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }
}
