package org.roost.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.mail.StoredMessage;
import org.roost.storage.MailLocation;
import org.roost.storage.MailboxStore;
import org.roost.storage.ServiceEvents;
import org.roost.testing.MailDatabaseServers;
import org.roost.testing.TestServer;

/**
 * What reading bodies costs a replica, against a real PostgreSQL and s3proxy: one replica stores, another reads;
 * the object store's and the database's reads are counted from the driver's meters, so a read the body cache
 * ({@code data/postgres-bodies}) answers is seen to cost no object-store read, a damaged kept file is seen to be
 * fetched again, and body keys are seen to be read a range at a time.
 */
@Timeout(120)
class BodyCacheTest {
    private static final Instant DATE = Instant.parse("2026-01-02T03:04:05Z");
    private static int users;
    @TempDir
    Path dir;
    private Map<String, String> environment;
    private final List<PostgresDriver> drivers = new ArrayList<>();

    @BeforeEach
    void start() throws IOException {
        environment = MailDatabaseServers.shared().environment();
    }

    @AfterEach
    void stop() {
        drivers.forEach(PostgresDriver::close);
    }

    /** A replica on the test's database with its own data directory, its object-store and database reads counted. */
    private record Replica(PostgresDriver driver, Path data, AtomicInteger reads, AtomicInteger databaseReads) {
        MailboxStore inbox(String user) throws IOException {
            return driver.open(driver.locate(user)).mailbox("INBOX");
        }

        Path cache() {
            return data.resolve("postgres-bodies");
        }
    }

    private Replica replica(String name, long cacheBytes) throws IOException {
        var env = new HashMap<>(environment);
        env.put("ROOST_MAIL_POSTGRES_BODYCACHEBYTES", Long.toString(cacheBytes));
        var config = TestServer.config(dir.resolve(name), env);
        var driver = PostgresDriver.open(MailLocation.parse("postgres:%u"), config.mail(), config.data());
        drivers.add(driver);
        var reads = new AtomicInteger();
        var databaseReads = new AtomicInteger();
        driver.meter((service, operation, result, elapsed) -> {
            if (operation.equals("read") && result == ServiceEvents.Result.OK) {
                (service.equals("s3") ? reads : databaseReads).incrementAndGet();
            }
        });
        return new Replica(driver, config.data(), reads, databaseReads);
    }

    private Replica replica(String name) throws IOException {
        return replica(name, 64L * 1024 * 1024);
    }

    private static String user() {
        return "cached" + users++;
    }

    private static StoredMessage append(MailboxStore inbox, String text) throws IOException {
        return inbox.append(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), Set.of(), Set.of(), DATE);
    }

    private static String read(MailboxStore mailbox, StoredMessage message) throws IOException {
        try (var in = mailbox.open(message)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static List<Path> kept(Replica replica) throws IOException {
        try (Stream<Path> files = Files.walk(replica.cache())) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aSecondReadOnAnotherReplicaReadsNothingFromTheObjectStore() throws Exception {
        var user = user();
        var writer = replica("writer");
        var reader = replica("reader");
        var text = "Subject: kept\r\n\r\nread twice " + System.nanoTime() + "\r\n";
        var message = append(writer.inbox(user), text);
        assertEquals(text, read(writer.inbox(user), message));
        assertEquals(0, writer.reads().get(), "the replica that stored it keeps the uploaded file");

        var inbox = reader.inbox(user);
        assertEquals(text, read(inbox, message));
        assertEquals(1, reader.reads().get(), "the first read on another replica fetches it");
        assertEquals(text, read(inbox, message));
        assertEquals(text, read(reader.inbox(user), message));
        assertEquals(1, reader.reads().get(), "later reads come from the replica's disk");
    }

    @Test
    void aRangeOfBodiesOnAnotherReplicaCostsOneDatabaseReadPer256() throws Exception {
        var user = user();
        var writer = replica("writer");
        var reader = replica("reader");
        var messages = new ArrayList<StoredMessage>();
        for (int i = 0; i < 300; i++) {
            messages.add(append(writer.inbox(user), "Subject: " + i + "\r\n\r\nrange " + i + "\r\n"));
        }
        var inbox = reader.inbox(user);
        int before = reader.databaseReads().get();
        for (var message : messages) {
            assertTrue(read(inbox, message).contains("range " + (message.uid() - 1)));
        }
        assertEquals(2, reader.databaseReads().get() - before, "the body keys of 300 UIDs in two reads");
        assertEquals(300, reader.reads().get());
    }

    @Test
    void aDamagedKeptFileIsNeverServedAndIsFetchedAgain() throws Exception {
        var user = user();
        var writer = replica("writer");
        var reader = replica("reader");
        var text = "Subject: damaged\r\n\r\nthe true bytes " + System.nanoTime() + "\r\n";
        var message = append(writer.inbox(user), text);
        var inbox = reader.inbox(user);
        assertEquals(text, read(inbox, message));
        var file = kept(reader).getFirst();

        Files.writeString(file, text.replace('t', 'T')); // same size, other bytes
        assertEquals(text, read(inbox, message));
        assertEquals(2, reader.reads().get(), "a copy whose SHA-256 differs is fetched again");
        Files.writeString(file, text.substring(0, 10)); // truncated
        assertEquals(text, read(inbox, message));
        Files.writeString(file, text + "more"); // longer
        assertEquals(text, read(inbox, message));
        Files.delete(file); // gone behind the cache's back
        assertEquals(text, read(inbox, message));
        Files.delete(file);
        Files.writeString(Files.createDirectories(file).resolve("x"), text); // unreadable as a file
        assertEquals(text, read(inbox, message));
        assertEquals(6, reader.reads().get());
        assertEquals(text, Files.readString(kept(reader).getFirst()), "the copy is whole again");
        assertEquals(text, read(inbox, message));
        assertEquals(6, reader.reads().get());

        var large = "Subject: large\r\n\r\n" + ("z".repeat(98) + "\r\n").repeat(3000); // checked from the file
        var big = append(writer.inbox(user), large);
        assertEquals(large, read(inbox, big));
        var bigFile = kept(reader).stream().filter(f -> !f.equals(file)).findFirst().orElseThrow();
        var bytes = Files.readAllBytes(bigFile);
        bytes[bytes.length / 2] = 'Z';
        Files.write(bigFile, bytes);
        assertEquals(large, read(inbox, big));
        assertEquals(8, reader.reads().get());
    }

    @Test
    void theKeptFilesStayWithinTheirBoundAndLargeBodiesAreNotKept() throws Exception {
        var user = user();
        var writer = replica("writer");
        var bound = 1024L * 1024;
        var reader = replica("reader", bound);
        var line = "y".repeat(98) + "\r\n";
        var messages = new ArrayList<StoredMessage>();
        for (int i = 0; i < 30; i++) {
            messages.add(append(writer.inbox(user), "Subject: " + i + "\r\n\r\n" + line.repeat(1000)));
        }
        var inbox = reader.inbox(user);
        for (var message : messages) {
            read(inbox, message);
        }
        long total = 0;
        for (var file : kept(reader)) {
            total += Files.size(file);
        }
        assertTrue(total <= bound, "kept " + total + " bytes, bound " + bound);
        assertFalse(kept(reader).isEmpty());

        var large = append(writer.inbox(user), "Subject: large\r\n\r\n" + line.repeat(1400)); // above bound / 8
        int before = reader.reads().get();
        read(inbox, large);
        read(inbox, large);
        assertEquals(before + 2, reader.reads().get(), "a body above an eighth of the bound is read each time");
    }

    @Test
    void keptFilesOutliveARestartAndLeftoversAreCleared() throws Exception {
        var user = user();
        var writer = replica("writer");
        var text = "Subject: restart\r\n\r\nkept across a restart " + System.nanoTime() + "\r\n";
        var message = append(writer.inbox(user), text);
        writer.driver().close();
        drivers.remove(writer.driver());
        var cache = writer.cache();
        var part = Files.writeString(cache.resolve("body-1.part"), "half a fill");
        var stranger = Files.writeString(Files.createDirectories(cache.resolve("ab")).resolve("not-a-key"), "?");

        var again = replica("writer");
        assertEquals(text, read(again.inbox(user), message));
        assertEquals(0, again.reads().get(), "served from the file the first run kept");
        assertFalse(Files.exists(part), "a fill's leftover is deleted at start");
        assertFalse(Files.exists(stranger), "what is not a body is deleted at start");
    }
}
