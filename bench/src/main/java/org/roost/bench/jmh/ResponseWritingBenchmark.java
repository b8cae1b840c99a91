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
import org.roost.imap.protocol.response.FetchResponse;
import org.roost.imap.protocol.response.ImapWriter;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.StructureFormatter;
import org.roost.mail.SystemFlag;
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
    private static final int SEEN = 1 << SystemFlag.SEEN.ordinal();
    private static final int SEEN_FLAGGED = SEEN | 1 << SystemFlag.FLAGGED.ordinal();
    private static final byte[] NO_KEYWORDS = new byte[0];
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 20);
    private ImapWriter writer;
    private MessageStructure structure;

    @Setup
    public void setUp() throws IOException {
        writer = new ImapWriter(buffer);
        byte[] message = Messages.message(new java.util.SplittableRandom(7), 8_000);
        structure = MessageStructure.parse(new java.io.ByteArrayInputStream(message));
    }

    /** A resynchronizing client's UID FETCH 1:* (UID FLAGS) of 1000 messages, through the FETCH encoder. */
    @Benchmark
    public int fetchFlags1000() throws IOException {
        buffer.reset();
        var out = new ResponseBuffer(buffer);
        var fetch = new FetchResponse(out, false);
        for (int seq = 1; seq <= 1000; seq++) {
            fetch.begin(seq, seq + 4000).uid(seq + 4000).flags((seq & 1) == 0 ? SEEN : SEEN_FLAGGED, false, NO_KEYWORDS).end();
        }
        out.drain();
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
