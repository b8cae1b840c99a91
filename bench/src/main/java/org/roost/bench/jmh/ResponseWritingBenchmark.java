package org.roost.bench.jmh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.roost.bench.Messages;
import org.roost.imap.ImapWriter;
import org.roost.imap.fetch.StructureFormatter;
import org.roost.mail.mime.MessageStructure;

/**
 * Response writing: 1,000 {@code * n FETCH (UID u FLAGS (...))} lines through {@link ImapWriter}
 * (the answer to a flags resync), and ENVELOPE + BODYSTRUCTURE of one message through
 * {@link StructureFormatter}. Output goes to a reused in-memory buffer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ResponseWritingBenchmark {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
    private ImapWriter writer;
    private MessageStructure structure;

    @Setup
    public void setUp() throws IOException {
        writer = new ImapWriter(buffer);
        byte[] message = Messages.message(new java.util.SplittableRandom(7), 8_000);
        structure = MessageStructure.parse(new java.io.ByteArrayInputStream(message));
    }

    @Benchmark
    public int fetchFlags1000() throws IOException {
        buffer.reset();
        for (int seq = 1; seq <= 1000; seq++) {
            writer.untagged(seq + " FETCH (UID " + (seq + 4000) + " FLAGS (" + ((seq & 1) == 0 ? "\\Seen" : "\\Seen \\Flagged") + "))");
        }
        writer.tagged("a1", ImapWriter.Status.OK, null, "UID FETCH completed.");
        return buffer.size();
    }

    @Benchmark
    public int envelopeAndBodyStructure() throws IOException {
        buffer.reset();
        StructureFormatter.writeEnvelope(buffer, structure.envelope());
        StructureFormatter.writeBodyStructure(buffer, structure.bodyStructure());
        return buffer.size();
    }
}
