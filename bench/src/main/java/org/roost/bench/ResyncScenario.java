package org.roost.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * {@code resync} (issue 14, the QRESYNC client profile): one client changes flags, expunges and
 * appends at random in a mailbox while another reconnects every {@code --reconnect-ms} with ENABLE
 * QRESYNC and SELECT (QRESYNC (...)) and keeps its state from VANISHED (EARLIER) and FETCH alone;
 * after each reconnect that state must equal a fresh {@code UID FETCH 1:* (FLAGS)} (a violation
 * otherwise). The changes pause while a reconnect is checked, so the two see the same mailbox.
 */
public final class ResyncScenario {
    private static final Pattern UID = Pattern.compile("\\bUID (\\d+)");
    private static final Pattern FLAGS = Pattern.compile("\\bFLAGS \\(([^)]*)\\)");
    private static final Pattern NUMBER_CODE = Pattern.compile("^\\* OK \\[(UIDVALIDITY|HIGHESTMODSEQ) (\\d+)]");
    private static final String[] FLAG_NAMES = {"\\Seen", "\\Flagged", "\\Answered", "$Label1", "Work"};

    private ResyncScenario() {
    }

    public static Map<String, Object> run(Options o, PrintStream out) throws IOException, InterruptedException {
        Duration duration = o.duration("duration", Duration.ofSeconds(20));
        int reconnectMillis = o.integer("reconnect-ms", 2000);
        String user = o.string("resync-user", o.user(1));
        String password = o.string("password", "bench");
        var target = o.target(o.flag("tls"));
        long deadline = System.nanoTime() + duration.toNanos();
        var quiet = new ReentrantLock();
        var changes = new long[2]; // bursts, failed commands
        var changer = Thread.ofVirtual().name("resync-changer").start(
                () -> change(target, user, password, new Random(o.longValue("seed", 42)), deadline, quiet, changes));
        var violations = new ArrayList<String>();
        var selectMillis = new ArrayList<Double>();
        var resyncBytes = new ArrayList<Integer>();
        int reconnects = 0;
        var client = new Client();
        try {
            quiet.lock();
            try {
                client.connect(target, user, password, null);
                client.cache = client.fullState();
                client.close();
            } finally {
                quiet.unlock();
            }
            while (System.nanoTime() < deadline) {
                Thread.sleep(reconnectMillis);
                quiet.lock();
                try {
                    long start = System.nanoTime();
                    var select = client.connect(target, user, password, client.qresync());
                    selectMillis.add((System.nanoTime() - start) / 1e6);
                    resyncBytes.add(select.untagged().stream().mapToInt(String::length).sum());
                    client.apply(select);
                    var fresh = client.fullState();
                    if (!fresh.equals(client.cache) && violations.size() < 50) {
                        violations.add("reconnect " + reconnects + ": kept " + client.cache + " but the mailbox has " + fresh);
                    }
                    client.cache = fresh;
                    client.close();
                    reconnects++;
                } finally {
                    quiet.unlock();
                }
            }
        } finally {
            changer.join();
        }
        var result = new LinkedHashMap<String, Object>();
        result.put("scenario", "resync");
        result.put("label", o.string("label", "server"));
        result.put("reconnects", reconnects);
        result.put("changeBursts", changes[0]);
        result.put("errors", changes[1]);
        result.put("selectQresyncP50Millis", median(selectMillis));
        result.put("resyncBytesP50", median(resyncBytes.stream().map(Integer::doubleValue).toList()));
        result.put("violations", violations.size());
        result.put("violationSamples", violations);
        out.printf("resync: %d reconnects, %d change bursts, SELECT (QRESYNC) p50 %.1f ms, %d violations%n",
                reconnects, changes[0], median(selectMillis), violations.size());
        return result;
    }

    /** Bursts of 1-8 random changes, each burst while no reconnect is being checked. */
    private static void change(Target target, String user, String password, Random random, long deadline,
            ReentrantLock quiet, long[] counts) {
        try (var c = ImapConnection.open(target)) {
            c.login(user, password);
            c.command("SELECT INBOX");
            while (System.nanoTime() < deadline) {
                quiet.lock();
                try {
                    int burst = 1 + random.nextInt(8);
                    for (int i = 0; i < burst; i++) {
                        var command = randomChange(c, random);
                        if (command != null && !c.command(command).tagged().startsWith("OK")) {
                            counts[1]++;
                        }
                    }
                    counts[0]++;
                } finally {
                    quiet.unlock();
                }
                Thread.sleep(10);
            }
        } catch (IOException | InterruptedException e) {
            counts[1]++;
        }
    }

    private static String randomChange(ImapConnection c, Random random) throws IOException {
        var uids = new ArrayList<Long>();
        for (var line : c.command("UID SEARCH ALL").untagged()) {
            if (line.startsWith("* SEARCH")) {
                for (var word : line.substring(8).trim().split(" ")) {
                    if (!word.isEmpty()) {
                        uids.add(Long.parseLong(word));
                    }
                }
            }
        }
        int op = random.nextInt(100);
        if (op < 60 && !uids.isEmpty()) {
            return "UID STORE " + uids.get(random.nextInt(uids.size())) + (random.nextBoolean() ? " +" : " -")
                    + "FLAGS (" + FLAG_NAMES[random.nextInt(FLAG_NAMES.length)] + ")";
        }
        if (op < 85 && !uids.isEmpty()) {
            long uid = uids.get(random.nextInt(uids.size()));
            c.command("UID STORE " + uid + " +FLAGS.SILENT (\\Deleted)");
            return "UID EXPUNGE " + uid;
        }
        c.append("INBOX", "()", ("Subject: resync " + random.nextInt() + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.US_ASCII), true);
        return null;
    }

    /** The reconnecting client: its UIDVALIDITY, HIGHESTMODSEQ and flags per UID, kept between connections. */
    private static final class Client {
        private ImapConnection connection;
        private long validity;
        private long modseq;
        private Map<Long, Set<String>> cache = new HashMap<>();

        String qresync() {
            return "(QRESYNC (" + validity + " " + modseq + "))";
        }

        /** Logs in, enables QRESYNC and selects INBOX (with {@code parameters}); returns the SELECT's answer. */
        Exchange connect(Target target, String user, String password, String parameters) throws IOException {
            connection = ImapConnection.open(target);
            connection.login(user, password);
            connection.command("ENABLE QRESYNC");
            var select = connection.command("SELECT INBOX" + (parameters == null ? "" : " " + parameters));
            for (var line : select.untagged()) {
                var m = NUMBER_CODE.matcher(line);
                if (m.find()) {
                    long value = Long.parseLong(m.group(2));
                    if (m.group(1).equals("UIDVALIDITY")) {
                        validity = value;
                    } else {
                        modseq = value;
                    }
                }
            }
            return select;
        }

        /** VANISHED (EARLIER) removes, FETCH replaces (RFC 7162 §3.2.5.1). */
        void apply(Exchange select) {
            for (var line : select.untagged()) {
                if (line.startsWith("* VANISHED (EARLIER) ")) {
                    UidSets.parse(line.substring("* VANISHED (EARLIER) ".length())).forEach(cache::remove);
                } else if (line.contains(" FETCH (")) {
                    var uid = UID.matcher(line);
                    var flags = FLAGS.matcher(line);
                    if (uid.find() && flags.find()) {
                        cache.put(Long.parseLong(uid.group(1)), flagSet(flags.group(1)));
                    }
                }
            }
        }

        Map<Long, Set<String>> fullState() throws IOException {
            var state = new HashMap<Long, Set<String>>();
            for (var line : connection.command("UID FETCH 1:* (FLAGS)").untagged()) {
                var uid = UID.matcher(line);
                var flags = FLAGS.matcher(line);
                if (uid.find() && flags.find()) {
                    state.put(Long.parseLong(uid.group(1)), flagSet(flags.group(1)));
                }
            }
            return state;
        }

        void close() throws IOException {
            connection.command("LOGOUT");
            connection.close();
        }

        /** The flags as a set, without \Recent (which depends on the session, not the mailbox). */
        private static Set<String> flagSet(String text) {
            var out = new TreeSet<String>();
            for (var flag : text.split(" ")) {
                if (!flag.isEmpty() && !flag.equalsIgnoreCase("\\Recent")) {
                    out.add(flag);
                }
            }
            return out;
        }
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return 0;
        }
        var sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
