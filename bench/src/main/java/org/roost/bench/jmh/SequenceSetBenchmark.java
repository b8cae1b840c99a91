package org.roost.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.roost.mail.SequenceSet;

/** {@link SequenceSet}: parsing the sets clients send, and membership tests over a 100k mailbox. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SequenceSetBenchmark {
    @Param({"1:*", "4821:*", "1,3,5,7,9,11,13:20,25,31:40,100:*"})
    public String set;

    private SequenceSet parsed;

    @Setup
    public void setUp() {
        parsed = SequenceSet.parse(set);
    }

    @Benchmark
    public SequenceSet parse() {
        return SequenceSet.parse(set);
    }

    @Benchmark
    public int containsOver100k() {
        int hits = 0;
        for (long n = 1; n <= 100_000; n += 97) {
            if (parsed.contains(n, 100_000)) {
                hits++;
            }
        }
        return hits;
    }
}
