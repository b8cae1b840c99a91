import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * NOTIFY fan-out (issue 14): SESSIONS connections of one user each run
 * {@code NOTIFY SET (MAILBOXES INBOX (MessageNew MessageExpunge))} (mode "status") or select INBOX and run
 * {@code NOTIFY SET (SELECTED (MessageNew (UID) MessageExpunge))} (mode "selected"); then, ROUNDS times,
 * one more connection APPENDs a message to INBOX and the time from sending the APPEND until the last
 * session has read its notification is taken, with the median and the slowest session's latency.
 * <pre>java bench/NotifyFanout.java HOST PORT USER PASSWORD SESSIONS ROUNDS [status|selected]</pre>
 */
public class NotifyFanout {
    record Session(Socket socket, BufferedReader in, OutputStream out) {}

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String user = args[2];
        String password = args[3];
        int sessions = Integer.parseInt(args[4]);
        int rounds = Integer.parseInt(args[5]);
        boolean selected = args.length > 6 && args[6].equals("selected");
        var all = new ArrayList<Session>();
        long setupStart = System.nanoTime();
        // A few hundred connects at a time: more overflow the listener's accept queue, and the kernel then
        // drops handshakes that the client already counts as done.
        var opening = new Semaphore(200);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            var futures = new ArrayList<Future<Session>>();
            for (int i = 0; i < sessions; i++) {
                futures.add(pool.submit(() -> {
                    opening.acquire();
                    try {
                        return open(host, port, user, password, selected);
                    } finally {
                        opening.release();
                    }
                }));
            }
            for (var f : futures) {
                all.add(f.get());
            }
        }
        System.out.printf("%d sessions notifying (%s) after %.1f s%n", sessions, selected ? "selected" : "status",
                (System.nanoTime() - setupStart) / 1e9);
        var appender = open(host, port, user, password, false);
        var totals = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            var latch = new CountDownLatch(sessions);
            var arrivals = new long[sessions];
            var sent = new AtomicLong();
            var readers = new ArrayList<Thread>();
            for (int i = 0; i < sessions; i++) {
                int k = i;
                readers.add(Thread.ofVirtual().start(() -> {
                    try {
                        awaitNotification(all.get(k), selected);
                        arrivals[k] = System.nanoTime();
                    } catch (IOException e) {
                        arrivals[k] = -1;
                    }
                    latch.countDown();
                }));
            }
            Thread.sleep(500); // every reader waiting
            var message = ("Subject: fan-out " + r + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII);
            sent.set(System.nanoTime());
            command(appender, "a" + r + " APPEND INBOX {" + message.length + "+}\r\n"
                    + new String(message, StandardCharsets.US_ASCII), "a" + r + " ");
            long appended = System.nanoTime();
            if (!latch.await(120, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not every session was notified within 120 s");
            }
            for (var t : readers) {
                t.join();
            }
            var latencies = Arrays.stream(arrivals).filter(a -> a > 0).map(a -> a - sent.get()).sorted().toArray();
            if (latencies.length < sessions) {
                throw new IllegalStateException((sessions - latencies.length) + " sessions failed");
            }
            totals[r] = latencies[latencies.length - 1] / 1e6;
            System.out.printf("round %d: APPEND answered %.1f ms; notified: median %.1f ms, 99th %.1f ms, last %.1f ms%n",
                    r + 1, (appended - sent.get()) / 1e6, latencies[latencies.length / 2] / 1e6,
                    latencies[(int) (latencies.length * 0.99)] / 1e6, totals[r]);
        }
        Arrays.sort(totals);
        System.out.printf("fan-out of one APPEND to %d notifying sessions (%s): median of %d rounds %.1f ms (best %.1f, worst %.1f)%n",
                sessions, selected ? "selected" : "status", rounds, totals[rounds / 2], totals[0], totals[rounds - 1]);
        for (var s : all) {
            s.socket().close();
        }
        appender.socket().close();
    }

    private static Session open(String host, int port, String user, String password, boolean selected)
            throws IOException {
        var socket = new Socket(host, port);
        socket.setSoTimeout(120_000); // a lost connection fails the run instead of hanging it
        var session = new Session(socket, new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.ISO_8859_1)), socket.getOutputStream());
        session.in().readLine();
        command(session, "l LOGIN " + user + " " + password, "l ");
        if (selected) {
            command(session, "s SELECT INBOX", "s ");
            command(session, "n NOTIFY SET (SELECTED (MessageNew (UID) MessageExpunge))", "n ");
        } else {
            command(session, "n NOTIFY SET (MAILBOXES INBOX (MessageNew MessageExpunge))", "n ");
        }
        return session;
    }

    private static void awaitNotification(Session s, boolean selected) throws IOException {
        var wanted = selected ? " FETCH (UID " : "* STATUS INBOX ";
        for (var line = s.in().readLine(); line != null; line = s.in().readLine()) {
            if (line.contains(wanted)) {
                return;
            }
        }
        throw new IOException("closed");
    }

    private static void command(Session s, String text, String tagged) throws IOException {
        s.out().write((text + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        s.out().flush();
        for (var line = s.in().readLine(); line != null; line = s.in().readLine()) {
            if (line.startsWith(tagged)) {
                if (!line.startsWith(tagged + "OK")) {
                    throw new IOException(line);
                }
                return;
            }
        }
        throw new IOException("closed");
    }
}
