package org.roost.bench.jmh;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import org.openjdk.jmh.infra.Blackhole;
import java.util.List;
import org.roost.config.RoostConfig;
import org.roost.imap.ImapCommands;
import org.roost.imap.protocol.CommandParser;
import org.roost.imap.protocol.Grammar;
import org.roost.imap.protocol.ImapReader;
import org.roost.imap.protocol.ParserSettings;
import org.roost.session.SessionServices;

/**
 * {@link CommandParser} over an {@link ImapReader} on a {@link ByteArrayInputStream}: the cost of
 * turning one command line of a typical client into a {@code Command} record, I/O excluded.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CommandParsingBenchmark {
    @Param({
        "UID FETCH 1:* (UID FLAGS)",
        "UID FETCH 4821:* (UID FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[HEADER.FIELDS (DATE FROM TO SUBJECT MESSAGE-ID)])",
        "UID STORE 4711 +FLAGS.SILENT (\\Seen \\Flagged)",
        "UID SEARCH UNSEEN SINCE 1-Jun-2024 FROM \"alice\"",
        "SELECT INBOX",
        "APPEND INBOX (\\Seen) {64+}"
    })
    public String command;

    private byte[] wire;
    private Grammar grammar;
    private ParserSettings settings;

    @Setup
    public void setUp() throws IOException {
        String line = "a1 " + command + "\r\n";
        if (command.endsWith("{64+}")) {
            String message = "Subject: hi\r\n\r\n"; // 15 bytes, then a body up to the announced 64
            line += message + "x".repeat(64 - message.length()) + "\r\n";
        }
        wire = line.getBytes(StandardCharsets.US_ASCII);
        var limits = RoostConfig.defaults().limits();
        var imap = RoostConfig.defaults().imap();
        grammar = ImapCommands.standard(new SessionServices(limits, List.of(), () -> null, null, List.of(), null, null,
                null, "localhost"), imap).grammar();
        settings = new ParserSettings(Files.createTempDirectory("roost-jmh"), limits.maxSearchDepth(),
                limits.maxIdParameters(), limits.maxFetchHeaderFields(), limits.maxNotifyMailboxes(),
                limits.maxAppendMessages(), limits.maxCatenateParts(), imap.urlauth().maxUrlLength(),
                imap.urlauth().maxUrls());
    }

    @Benchmark
    public void parse(Blackhole bh) throws Exception {
        var reader = new ImapReader(new ByteArrayInputStream(wire), () -> { }, 65_536, 64L << 20);
        bh.consume(new CommandParser(reader, grammar, settings).next());
    }
}
