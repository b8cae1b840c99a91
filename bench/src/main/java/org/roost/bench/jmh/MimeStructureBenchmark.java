package org.roost.bench.jmh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.SplittableRandom;
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
import org.roost.bench.Messages;
import org.roost.mail.mime.MessageStructure;

/**
 * {@link MessageStructure#parse}: MIME structure extraction (what ENVELOPE/BODYSTRUCTURE need)
 * over the load generator's messages — 20 seeded messages of each size, a mix of text/plain,
 * multipart/alternative and base64 attachments.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MimeStructureBenchmark {
    @Param({"2000", "20000", "1000000"})
    public int size;

    private byte[][] messages;
    private int next;

    @Setup
    public void setUp() {
        var random = new SplittableRandom(11);
        messages = new byte[20][];
        for (int i = 0; i < messages.length; i++) {
            messages[i] = Messages.message(random, size);
        }
    }

    @Benchmark
    public MessageStructure parse() throws IOException {
        byte[] m = messages[next++ % messages.length];
        return MessageStructure.parse(new ByteArrayInputStream(m));
    }
}
