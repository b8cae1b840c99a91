package org.roost.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.roost.mail.SequenceSet;

/** {@link SequenceSet#parse} of a long list: 667 ranges, as a client sends after selecting messages by hand. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SequenceListBenchmark {
    private final String longSet = longSet();

    private static String longSet() {
        var sb = new StringBuilder();
        for (int i = 1; i < 2000; i += 3) {
            sb.append(sb.isEmpty() ? "" : ",").append(i).append(':').append(i + 1);
        }
        return sb.toString();
    }

    @Benchmark
    public SequenceSet parse667Ranges() {
        return SequenceSet.parse(longSet);
    }
}
