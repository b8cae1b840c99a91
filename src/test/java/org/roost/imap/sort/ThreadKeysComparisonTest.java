package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.mail.mime.MessageHeader;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.sort.ThreadFacts;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * THREAD from the keys the index keeps for the whole mailbox answers byte for byte as THREAD from
 * keys read afresh for only the messages found (the path before the keys were kept), on seeded
 * mailboxes with References chains, In-Reply-To alone, duplicate and missing Message-IDs, loops,
 * missing parents, reply subjects and ties: over all messages, over a part, after APPENDs (the
 * kept keys are made again) and after EXPUNGEs (the kept keys then hold rows no view has).
 */
class ThreadKeysComparisonTest {
    private static final int MAX_DEPTH = 1000; // limits.maxThreadDepth's default, as TestServer runs
    private static final DateTimeFormatter INTERNAL = DateTimeFormatter.ofPattern("dd-MMM-yyyy HH:mm:ss xx", Locale.ROOT);
    private static final DateTimeFormatter RFC5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ROOT);
    private static final String[] SUBJECTS = {"hello", "Re: hello", "Fwd: hello", "[list] Re: plan", "plan (fwd)", "",
            "RE: Plan", "other", "re: re: other", "=?UTF-8?Q?=C3=A9t=C3=A9?=", "ÉTÉ"};

    private record Message(byte[] text, long internalDate) {}

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void keptKeysThreadAsKeysReadAfresh() throws IOException {
        for (long seed = 1; seed <= 3; seed++) {
            var random = new Random(seed);
            var server = TestServer.shared();
            try (var client = server.login(server.newUser())) {
                var mailbox = new ArrayList<Message>();
                append(client, mailbox, random, 120);
                client.expectOk("SELECT INBOX");
                compareAll(client, mailbox, seed);
                append(client, mailbox, random, 60);
                client.expectOk("NOOP");
                compareAll(client, mailbox, seed);
                for (int seq = mailbox.size(); seq >= 1; seq--) {
                    if (random.nextInt(4) == 0) {
                        client.expectOk("STORE " + seq + " +FLAGS.SILENT (\\Deleted)");
                        mailbox.remove(seq - 1);
                    }
                }
                client.expectOk("EXPUNGE");
                compareAll(client, mailbox, seed);
            }
        }
    }

    private static void compareAll(RawImapClient client, List<Message> mailbox, long seed) throws IOException {
        int n = mailbox.size();
        compare(client, mailbox, "REFERENCES", "1:" + n, seed);
        compare(client, mailbox, "ORDEREDSUBJECT", "1:" + n, seed);
        compare(client, mailbox, "REFERENCES", "2:" + (n * 2 / 3), seed);
        compare(client, mailbox, "ORDEREDSUBJECT", (n / 3) + ":" + n, seed);
    }

    private static void compare(RawImapClient client, List<Message> mailbox, String algorithm, String range, long seed)
            throws IOException {
        var bounds = range.split(":");
        int from = Integer.parseInt(bounds[0]);
        int to = Integer.parseInt(bounds[1]);
        var found = new int[to - from + 1];
        var facts = new ThreadFacts[found.length];
        for (int i = 0; i < found.length; i++) {
            found[i] = from + i;
            var message = mailbox.get(found[i] - 1);
            facts[i] = ThreadFacts.of(MessageHeader.of(MessageStructure.parse(new ByteArrayInputStream(message.text()))),
                    message.internalDate(), MAX_DEPTH);
        }
        var keys = ThreadKeys.of(facts);
        var forest = algorithm.equals("REFERENCES")
                ? ReferenceThreads.of(found, keys, MAX_DEPTH, Cancellation.never())
                : OrderedSubjectThreads.of(found, keys);
        var bytes = new ByteArrayOutputStream();
        var out = new ResponseBuffer(bytes);
        ThreadResponse.write(out, forest, seq -> seq);
        out.drain();
        var expected = bytes.toString(StandardCharsets.UTF_8).strip();
        var response = client.expectOk("THREAD " + algorithm + " UTF-8 " + range);
        assertEquals(List.of(expected), response.untagged("THREAD"), "seed " + seed + ", " + algorithm + " " + range);
    }

    private static void append(RawImapClient client, List<Message> mailbox, Random random, int count) throws IOException {
        for (int k = 0; k < count; k++) {
            long internal = 946_684_800L + random.nextInt(50) * 3600L;
            var text = message(mailbox.size(), random).getBytes(StandardCharsets.UTF_8);
            var date = INTERNAL.format(Instant.ofEpochSecond(internal).atOffset(ZoneOffset.UTC));
            var response = client.append("INBOX", "\"" + date + "\"", text);
            assertTrue(response.ok(), response.toString());
            mailbox.add(new Message(text, internal));
        }
    }

    /** Message {@code i}: IDs drawn from a few more than there are messages, so some repeat, some are never a message's. */
    private static String message(int i, Random random) {
        var headers = new StringBuilder();
        headers.append("Subject: ").append(SUBJECTS[random.nextInt(SUBJECTS.length)]).append("\r\n");
        switch (random.nextInt(6)) {
            case 0 -> { } // no Date: the internal date stands in
            case 1 -> headers.append("Date: not a date\r\n");
            default -> headers.append("Date: ").append(RFC5322.format(Instant.ofEpochSecond(946_684_800L
                    + random.nextInt(40) * 3600L).atOffset(ZoneOffset.ofHours(random.nextInt(5) - 2)))).append("\r\n");
        }
        if (random.nextInt(8) != 0) { // else no Message-ID
            headers.append("Message-ID: <").append(id(i, random)).append(">\r\n");
        }
        int references = random.nextInt(5);
        if (references > 0 && random.nextInt(3) == 0) {
            headers.append("In-Reply-To: <").append(id(i, random)).append(">\r\n");
        } else if (references > 0) {
            headers.append("References:");
            for (int r = 0; r < references; r++) {
                headers.append(" <").append(id(i, random)).append('>');
            }
            headers.append("\r\n");
        }
        return headers + "\r\nbody " + i + "\r\n";
    }

    /** Mostly a nearby message's ID (chains), sometimes its own (loops) or one no message has (missing parents). */
    private static String id(int i, Random random) {
        return switch (random.nextInt(5)) {
            case 0 -> "gone" + random.nextInt(20) + "@x";
            case 1 -> i + "@x";
            default -> Math.max(0, i - random.nextInt(6) + 2) + "@x";
        };
    }
}
