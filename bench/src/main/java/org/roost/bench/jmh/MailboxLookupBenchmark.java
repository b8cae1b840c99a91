package org.roost.bench.jmh;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.roost.bench.Options;
import org.roost.bench.Populate;
import org.roost.index.IndexCache;
import org.roost.index.MailboxView;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * Mailbox lookup: {@link MailboxView#sequenceOf} (UID → sequence number, what every UID command
 * does per message) on a Maildir INBOX written by the load generator's {@code populate}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MailboxLookupBenchmark {
    @Param({"10000"})
    public int messages;

    private Path root;
    private MailboxView view;
    private long[] probes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        root = Files.createTempDirectory("roost-jmh-mail");
        Populate.run(Options.of("--root", root.toString(), "--users", "0", "--big-user", "jmh",
                "--big-messages", Integer.toString(messages)), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/%u"), MaildirOptions.defaults()));
        view = new MailboxView(cache.open("jmh", "INBOX"), true);
        var random = new SplittableRandom(3);
        probes = new long[4096];
        for (int i = 0; i < probes.length; i++) {
            probes[i] = view.message(1 + random.nextInt(view.count())).uid();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        try (var files = Files.walk(root)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public int sequenceOf() {
        return view.sequenceOf(probes[next++ & (probes.length - 1)]);
    }
}
