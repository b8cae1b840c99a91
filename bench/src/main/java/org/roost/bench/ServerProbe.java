package org.roost.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Samples the server under test from /proc before and after a measured phase, when its pid is
 * given ({@code --server-pid}); with {@code --server-jvm} also the used heap after a full GC.
 */
public final class ServerProbe {
    private final long pid;
    private final boolean jvm;
    private ProcStats.Snapshot before;

    public ServerProbe(Options options) {
        this.pid = options.longValue("server-pid", -1);
        this.jvm = options.flag("server-jvm");
    }

    public boolean active() {
        return pid > 0 && ProcStats.available();
    }

    public void start() {
        if (active()) {
            before = ProcStats.of(pid);
        }
    }

    /** CPU used since {@link #start()} and memory now, as JSON-ready figures; empty when inactive. */
    public Map<String, Object> finish(long operations) {
        var out = new LinkedHashMap<String, Object>();
        if (!active() || before == null) {
            return out;
        }
        var after = ProcStats.of(pid);
        double cpu = after.cpuSeconds() - before.cpuSeconds();
        out.put("serverCpuSeconds", cpu);
        out.put("serverCpuMsPerOp", operations == 0 ? 0.0 : cpu * 1000 / operations);
        out.put("serverProcesses", after.processes());
        out.put("serverRssKb", after.rssKb());
        out.put("serverPssKb", after.pssKb());
        return out;
    }

    public ProcStats.Snapshot snapshot() {
        return active() ? ProcStats.of(pid) : new ProcStats.Snapshot(0, 0, 0, 0, 0);
    }

    public long heapKb() {
        return active() && jvm ? ProcStats.jvmHeapUsedKb(pid) : -1;
    }
}
