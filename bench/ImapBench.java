import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import com.sun.tools.attach.VirtualMachine;

/**
 * Times IMAP requests against a running server (to the last byte of the tagged answer) and reads
 * the server's heap with jcmd while the mailbox is selected.
 *
 * <pre>java bench/ImapBench.java PORT USER PASSWORD SERVER_PID [select-only|first-open|writes|sort|sort-first|thread-first|resync [ROUNDS]]</pre>
 * A SERVER_PID of 0 (a server that is no JVM, e.g. Dovecot) skips the heap figure. {@code select-only}
 * times the first SELECT alone, with what the server's JVM allocated for it; {@code first-open}
 * times the first SELECT of a mailbox, with its allocation, and then {@code UID FETCH 1:* (RFC822.SIZE)}, twice; {@code writes}
 * the changes (flags, an EXPUNGE in the middle, an APPEND while another session is selected); {@code sort}
 * (issue 15) UID SORT by DATE, SUBJECT, FROM, REVERSE ARRIVAL and UID THREAD REFERENCES and ORDEREDSUBJECT,
 * each twice, with the heap and RSS around them, then the four SORTs five rounds more (medians, and the
 * heap's peak above what was held before them); {@code sort-first} and {@code thread-first} only the first
 * of them (by DATE) or REFERENCES, with the server's CPU time and heap peak, then five rounds more;
 * {@code after-append} THREAD REFERENCES and SORT (SUBJECT) once, then each after one APPEND (a reply into
 * a thread of the mailbox) by another session, five rounds (medians); {@code after-append thread} THREAD alone. {@code resync}
 * (issue 14) has a second session make 100 flag changes and 100 expunges, then times a client that
 * reconnects with QRESYNC: {@code SELECT INBOX (QRESYNC (...))}, {@code UID FETCH 1:* (FLAGS) (CHANGEDSINCE n
 * VANISHED)}, the full {@code UID FETCH 1:* (FLAGS)} it replaces, and {@code UID SEARCH RETURN (COUNT) UNSEEN};
 * medians of ROUNDS (default 5) rounds, each with fresh changes.
 */
public class ImapBench {
    private final InputStream in;
    private final OutputStream out;
    private int tag;
    private long bytes;
    private int lines;

    ImapBench(Socket socket) throws IOException {
        in = socket.getInputStream();
        out = socket.getOutputStream();
        readLogical(); // the greeting
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[3]);
        if (args.length > 4 && args[4].equals("resync")) {
            resync(port, args[1], args[2], args.length > 5 ? Integer.parseInt(args[5]) : 5);
            return;
        }
        try (var socket = new Socket("127.0.0.1", port)) {
            var c = new ImapBench(socket);
            c.run("LOGIN " + args[1] + " " + args[2]);
            long before = pid == 0 ? 0 : heapAfterGc(pid);
            var mode = args.length > 4 ? args[4] : "all";
            var allocation = pid != 0 && (mode.equals("select-only") || mode.equals("first-open"))
                    ? new Allocation(pid) : null;
            long allocatedBefore = allocation == null ? 0 : allocation.bytes();
            String selectResponse = c.lastUntagged("SELECT INBOX", "EXISTS");
            report("SELECT INBOX (" + selectResponse + ")", c.lastMillis);
            if (allocation != null) {
                System.out.printf("%-52s %10.1f MB%n", "  heap allocated by the server for it",
                        (allocation.bytes() - allocatedBefore) / 1048576.0);
                allocation.close();
            }
            if (mode.equals("writes")) {
                writes(port, args[1], args[2], c, Integer.parseInt(selectResponse.replaceAll("\\D", "")));
                return;
            }
            if (mode.equals("sort")) {
                sorts(c, pid, before);
                return;
            }
            if (mode.equals("after-append")) {
                afterAppend(port, args[1], args[2], c, pid, args.length > 5 && args[5].equals("thread"));
                return;
            }
            if (mode.equals("sort-first") || mode.equals("thread-first")) {
                firstAndRepeated(c, pid, mode.equals("sort-first") ? SORTS[0] : SORTS[4]);
                return;
            }
            if (mode.equals("first-open")) {
                c.run("UID FETCH 1:* (RFC822.SIZE)");
                report("UID FETCH 1:* (RFC822.SIZE)  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
                c.run("UID FETCH 1:* (RFC822.SIZE)");
                report("UID FETCH 1:* (RFC822.SIZE) again", c.lastMillis);
            }
            if (!mode.equals("all")) {
                return;
            }
            c.run("UNSELECT");
            c.run("SELECT INBOX");
            report("SELECT INBOX again (warm)", c.lastMillis);
            c.run("UID FETCH 1:* (UID FLAGS)");
            report("UID FETCH 1:* (UID FLAGS)  [" + c.bytes / 1024 + " KiB, " + c.lines + " lines]", c.lastMillis);
            c.run("UID FETCH 1:* (UID FLAGS)");
            report("UID FETCH 1:* (UID FLAGS) again", c.lastMillis);
            c.run("UID SEARCH UNSEEN");
            report("UID SEARCH UNSEEN  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
            c.run("UID SEARCH UNSEEN");
            report("UID SEARCH UNSEEN again", c.lastMillis);
            c.run("SEARCH SINCE 1-Jun-2025");
            report("SEARCH SINCE 1-Jun-2025  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
            c.run("SEARCH SINCE 1-Jun-2025");
            report("SEARCH SINCE 1-Jun-2025 again", c.lastMillis);
            String exists = selectResponse.replaceAll("\\D", "");
            int n = Integer.parseInt(exists);
            c.run("FETCH " + Math.max(1, n - 49) + ":" + n + " (ENVELOPE)");
            report("FETCH newest 50 (ENVELOPE)", c.lastMillis);
            c.run("FETCH " + Math.max(1, n - 49) + ":" + n + " (ENVELOPE)");
            report("FETCH newest 50 (ENVELOPE) again", c.lastMillis);
            if (pid != 0) {
                // Measured last: the index's records are read when first needed, not at SELECT.
                long after = heapAfterGc(pid);
                System.out.printf("%-52s %10.1f MB (used %.1f MB before SELECT, %.1f MB after)%n",
                        "heap held with the mailbox selected, after all this", (after - before) / 1048576.0,
                        before / 1048576.0, after / 1048576.0);
            }
            c.run("LOGOUT");
        }
    }

    private double lastMillis;

    /** Issue 15's rows: each the first time (after a fresh index, nothing parsed yet) and again. */
    private static final String[] SORTS = {"UID SORT (DATE) UTF-8 ALL", "UID SORT (SUBJECT) UTF-8 ALL",
        "UID SORT (FROM) UTF-8 ALL", "UID SORT (REVERSE ARRIVAL) UTF-8 ALL", "UID THREAD REFERENCES UTF-8 ALL",
        "UID THREAD ORDEREDSUBJECT UTF-8 ALL"};

    /**
     * SORT and THREAD, each twice; for a JVM server also the heap's peak while they run (jstat samples
     * of the heap in use, garbage included), the heap held after them (after a full GC) and the RSS.
     */
    private static void sorts(ImapBench c, long pid, long heapBefore) throws Exception {
        var sampler = pid == 0 ? null : new HeapSampler(pid);
        long rssBefore = pid == 0 ? 0 : status(pid, "VmRSS");
        for (var command : SORTS) {
            long cpu = cpuMillis(pid);
            c.run(command);
            report(command + "  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
            if (pid != 0) {
                report("  server CPU time for it", cpuMillis(pid) - cpu);
            }
            c.run(command);
            report(command + " again", c.lastMillis);
        }
        if (sampler != null) {
            long peak = sampler.stop();
            long held = heapAfterGc(pid);
            System.out.printf("%-52s %10.1f MB above the heap before SELECT (%.1f MB)%n",
                    "heap in use, peak during the SORTs (garbage too)", (peak - heapBefore) / 1048576.0,
                    heapBefore / 1048576.0);
            System.out.printf("%-52s %10.1f MB above the heap before SELECT%n",
                    "heap held after them (after a full GC)", (held - heapBefore) / 1048576.0);
            System.out.printf("%-52s %10.1f MB (%.1f MB before the SORTs, peak %.1f MB)%n", "server RSS after them",
                    status(pid, "VmRSS") / 1024.0, rssBefore / 1024.0, status(pid, "VmHWM") / 1024.0);
        }
        repeatedSorts(c, pid);
        c.run("LOGOUT");
    }

    private static final int REPEATS = 5;

    /**
     * The four SORTs again, {@value #REPEATS} rounds, each row's median (a loaded machine moves single runs);
     * for a JVM server also the heap's peak while they run above what it held after a full GC just before:
     * what a repeated SORT needs beyond what is kept.
     */
    private static void repeatedSorts(ImapBench c, long pid) throws Exception {
        long held = pid == 0 ? 0 : heapAfterGc(pid);
        var sampler = pid == 0 ? null : new HeapSampler(pid);
        int sorts = 4;
        var millis = new double[sorts][REPEATS];
        for (int round = 0; round < REPEATS; round++) {
            for (int k = 0; k < sorts; k++) {
                c.run(SORTS[k]);
                millis[k][round] = c.lastMillis;
            }
        }
        for (int k = 0; k < sorts; k++) {
            java.util.Arrays.sort(millis[k]);
            report(SORTS[k] + " repeated, median of " + REPEATS, millis[k][REPEATS / 2]);
        }
        if (sampler != null) {
            System.out.printf("%-52s %10.1f MB above the heap held before them (%.1f MB)%n",
                    "heap in use, peak during the repeated SORTs", (sampler.stop() - held) / 1048576.0,
                    held / 1048576.0);
        }
    }

    /**
     * One request the first time, with the server's CPU time for it and, for a JVM server, the heap's peak
     * while it runs (jstat samples, garbage included) above what was held just before it (after a full GC,
     * the mailbox selected and its index records read by a FETCH of flags, which reads no message); then
     * again, {@value #REPEATS} rounds (median). Issue 15's first SORT and THREAD rows without the others,
     * so that a run over a million messages beside Dovecot stays short.
     */
    private static void firstAndRepeated(ImapBench c, long pid, String command) throws Exception {
        c.run("UID FETCH 1:* (UID FLAGS)"); // the index's records in memory (read when first needed), no message read
        report("UID FETCH 1:* (UID FLAGS), before it", c.lastMillis);
        long idle = pid == 0 ? 0 : heapAfterGc(pid);
        var sampler = pid == 0 ? null : new HeapSampler(pid);
        long cpu = cpuMillis(pid);
        long system = pid == 0 ? 0 : systemMillis(pid);
        c.run(command);
        report(command + "  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
        if (sampler != null) {
            report("  server CPU time for it", cpuMillis(pid) - cpu);
            report("    of which in the kernel", systemMillis(pid) - system);
            System.out.printf("%-52s %10.1f MB above the heap held before it (%.1f MB)%n",
                    "  heap in use, peak during it (garbage too)", (sampler.stop() - idle) / 1048576.0,
                    idle / 1048576.0);
            System.out.printf("%-52s %10.1f MB above the heap held before it%n", "  heap held after it (full GC)",
                    (heapAfterGc(pid) - idle) / 1048576.0);
        }
        var millis = new double[REPEATS];
        for (int round = 0; round < REPEATS; round++) {
            c.run(command);
            millis[round] = c.lastMillis;
        }
        java.util.Arrays.sort(millis);
        report(command + " again, median of " + REPEATS, millis[REPEATS / 2]);
        c.run("LOGOUT");
    }

    /**
     * UID THREAD REFERENCES and UID SORT (SUBJECT) the first time, then {@value #REPEATS} rounds of: another
     * session APPENDs one message (a reply to the mailbox's first message, so its References name an ID the
     * mailbox has), the selected session hears of it (NOOP, not timed), THREAD is timed; the same for SORT;
     * then both again without a new message. Medians, with the server's CPU time (a JVM server).
     */
    private static void afterAppend(int port, String user, String password, ImapBench c, long pid, boolean threadOnly)
            throws Exception {
        c.run("UID FETCH 1:* (UID FLAGS)");
        String parent = c.lastUntagged("FETCH 1 (BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])", "@")
                .replaceAll("(?s).*(<[^>]*>).*", "$1");
        var commands = threadOnly ? new String[] {SORTS[4]} : new String[] {SORTS[4], SORTS[1]};
        for (var command : commands) {
            long cpu = cpuMillis(pid);
            c.run(command);
            report(command + " first  [" + c.bytes / 1024 + " KiB]", c.lastMillis);
            report("  server CPU time for it", cpuMillis(pid) - cpu);
        }
        try (var socket = new Socket("127.0.0.1", port)) {
            var other = new ImapBench(socket);
            other.run("LOGIN " + user + " " + password);
            var millis = new double[2 * commands.length][REPEATS];
            var cpu = new double[2 * commands.length][REPEATS];
            for (int round = 0; round < REPEATS; round++) {
                for (int k = 0; k < commands.length; k++) {
                    var message = "Message-ID: <appended." + round + "." + k + "." + System.nanoTime()
                            + "@bench.example.org>\r\nReferences: " + parent + "\r\nIn-Reply-To: " + parent
                            + "\r\nSubject: Re: appended " + round + "\r\nFrom: bench@example.org\r\n"
                            + "Date: Mon, 7 Dec 2026 12:00:00 +0000\r\n\r\nA reply.\r\n";
                    other.run("APPEND INBOX {" + message.length() + "+}\r\n" + message);
                    c.run("NOOP");
                    for (int again = 0; again < 2; again++) {
                        long before = cpuMillis(pid);
                        c.run(commands[k]);
                        millis[2 * k + again][round] = c.lastMillis;
                        cpu[2 * k + again][round] = cpuMillis(pid) - before;
                    }
                }
            }
            other.run("LOGOUT");
            for (int k = 0; k < 2 * commands.length; k++) {
                java.util.Arrays.sort(millis[k]);
                java.util.Arrays.sort(cpu[k]);
                report(commands[k / 2] + (k % 2 == 0 ? " after one APPEND" : " again, no APPEND") + ", median of "
                        + REPEATS, millis[k][REPEATS / 2]);
                report("  server CPU time for it, median", cpu[k][REPEATS / 2]);
            }
        }
        c.run("LOGOUT");
    }

    /** The CPU time a process has used so far (user and system, /proc/PID/stat), in ms; 0 for no process. */
    private static long cpuMillis(long pid) throws IOException {
        if (pid == 0) {
            return 0;
        }
        var stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        var fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10; // utime, stime at 100 ticks a second
    }

    /** The system (kernel) part of {@link #cpuMillis}. */
    private static long systemMillis(long pid) throws IOException {
        var stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(pid), "stat"));
        return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[12]) * 10;
    }

    /** A field of /proc/PID/status in kB. */
    private static long status(long pid, String field) throws IOException {
        for (var line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    /** jstat -gc every 100 ms in the background: the highest heap in use seen (survivors, eden, old). */
    private static final class HeapSampler {
        private final Process jstat;
        private final Thread reader;
        private volatile long peak;

        HeapSampler(long pid) throws IOException {
            var command = ProcessHandle.current().info().command().orElse("java").replaceAll("java$", "jstat");
            jstat = new ProcessBuilder(command, "-gc", Long.toString(pid), "100").redirectErrorStream(true).start();
            reader = Thread.ofPlatform().daemon().start(this::read);
        }

        private void read() {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(jstat.getInputStream()))) {
                String header = lines.readLine();
                if (header == null) {
                    return;
                }
                var names = java.util.List.of(header.trim().split("\\s+"));
                for (String line; (line = lines.readLine()) != null; ) {
                    var values = line.trim().split("\\s+");
                    if (values.length != names.size()) {
                        continue;
                    }
                    double kb = 0;
                    for (var column : java.util.List.of("S0U", "S1U", "EU", "OU")) {
                        kb += Double.parseDouble(values[names.indexOf(column)]);
                    }
                    peak = Math.max(peak, (long) (kb * 1024));
                }
            } catch (IOException | RuntimeException e) {
                // the sampler ends with jstat; what it saw stands
            }
        }

        long stop() throws InterruptedException {
            jstat.destroy();
            reader.join(5_000);
            return peak;
        }
    }

    private static final String[] RESYNC_ROWS = {"SELECT INBOX (QRESYNC (...)) after a reconnect",
        "UID FETCH 1:* (FLAGS) (CHANGEDSINCE n VANISHED)", "UID FETCH 1:* (FLAGS) (the full resync)",
        "UID SEARCH RETURN (COUNT) UNSEEN"};

    private static void resync(int port, String user, String password, int rounds) throws IOException {
        var millis = new double[RESYNC_ROWS.length][rounds];
        var bytes = new long[RESYNC_ROWS.length];
        try (var changerSocket = new Socket("127.0.0.1", port)) {
            var changer = new ImapBench(changerSocket);
            changer.run("LOGIN " + user + " " + password);
            changer.run("SELECT INBOX");
            // seeded by the mailbox's state, so that a later run does not repeat changes already made
            var random = new java.util.Random(number(changer.lastUntagged("STATUS INBOX (HIGHESTMODSEQ)", "STATUS"),
                    "HIGHESTMODSEQ"));
            for (int round = 0; round < rounds; round++) {
                var status = changer.lastUntagged("STATUS INBOX (UIDVALIDITY UIDNEXT HIGHESTMODSEQ)", "STATUS");
                long validity = number(status, "UIDVALIDITY");
                long uidNext = number(status, "UIDNEXT");
                long modseq = number(status, "HIGHESTMODSEQ");
                for (int i = 0; i < 100; i++) {
                    changer.run("UID STORE " + (1 + random.nextLong(uidNext - 1)) + " +FLAGS.SILENT ($Bench" + round + ")");
                }
                var gone = new StringBuilder();
                for (int i = 0; i < 100; i++) {
                    gone.append(i == 0 ? "" : ",").append(1 + random.nextLong(uidNext - 1));
                }
                changer.run("UID STORE " + gone + " +FLAGS.SILENT (\\Deleted)");
                changer.run("UID EXPUNGE " + gone);
                try (var socket = new Socket("127.0.0.1", port)) {
                    var client = new ImapBench(socket);
                    client.run("LOGIN " + user + " " + password);
                    client.run("ENABLE QRESYNC");
                    String[] commands = {"SELECT INBOX (QRESYNC (" + validity + " " + modseq + "))",
                        "UID FETCH 1:* (FLAGS) (CHANGEDSINCE " + modseq + " VANISHED)", "UID FETCH 1:* (FLAGS)",
                        "UID SEARCH RETURN (COUNT) UNSEEN"};
                    for (int row = 0; row < commands.length; row++) {
                        client.run(commands[row]);
                        millis[row][round] = client.lastMillis;
                        bytes[row] = client.bytes;
                    }
                    client.run("LOGOUT");
                }
            }
        }
        for (int row = 0; row < RESYNC_ROWS.length; row++) {
            java.util.Arrays.sort(millis[row]);
            System.out.printf("%-52s %10.1f ms%n", RESYNC_ROWS[row] + "  [" + bytes[row] / 1024 + " KiB]",
                    millis[row][rounds / 2]);
        }
    }

    /** The number after {@code name} in a response line. */
    private static long number(String line, String name) {
        var m = Pattern.compile(name + " (\\d+)").matcher(line);
        if (!m.find()) {
            throw new IllegalStateException("no " + name + " in " + line);
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * With {@code selected} in INBOX, a second session expunges the message in the middle and appends
     * one (10 KB), each timed to its tagged OK; then the first session's NOOP hears of both.
     */
    private static void writes(int port, String user, String password, ImapBench selected, int count)
            throws IOException {
        try (var socket = new Socket("127.0.0.1", port)) {
            var c = new ImapBench(socket);
            c.run("LOGIN " + user + " " + password);
            c.run("SELECT INBOX");
            int middle = Math.max(1, count / 2);
            c.run("STORE " + middle + " +FLAGS.SILENT (\\Deleted)");
            report("STORE of the middle message +FLAGS (\\Deleted)", c.lastMillis);
            c.run("EXPUNGE");
            report("EXPUNGE of the middle message", c.lastMillis);
            var message = "Subject: appended\r\n\r\n" + "0123456789 abcdefghijklmnopqrstuvwxyz\r\n".repeat(270);
            c.run("APPEND INBOX {" + message.length() + "+}\r\n" + message);
            report("APPEND (10 KB) while another session is selected", c.lastMillis);
            c.run("LOGOUT");
        }
        selected.run("NOOP");
        report("NOOP of the selected session (hears EXPUNGE, EXISTS)", selected.lastMillis);
    }

    private static void report(String what, double millis) {
        System.out.printf("%-52s %10.1f ms%n", what, millis);
    }

    String lastUntagged(String command, String containing) throws IOException {
        var t = "b" + (++tag);
        long start = System.nanoTime();
        send(t + " " + command);
        String found = "";
        while (true) {
            readLogical();
            var line = lineText();
            if (line.startsWith(t + " ")) {
                lastMillis = (System.nanoTime() - start) / 1e6;
                check(line);
                return found;
            }
            if (line.contains(containing)) {
                found = line;
            }
        }
    }

    /** Sends a command and reads to the last byte of its tagged answer, counting lines and bytes. */
    void run(String command) throws IOException {
        var t = ("b" + (++tag) + " ").getBytes(StandardCharsets.US_ASCII);
        bytes = 0;
        lines = 0;
        long start = System.nanoTime();
        send(new String(t, StandardCharsets.US_ASCII) + command);
        while (true) {
            readLogical();
            if (lineStartsWith(t)) {
                lastMillis = (System.nanoTime() - start) / 1e6;
                check(lineText());
                return;
            }
            lines++;
        }
    }

    private static void check(String status) {
        if (!status.split(" ", 3)[1].equals("OK")) {
            throw new IllegalStateException(status);
        }
    }

    private void send(String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    // Reading: bulk reads into one buffer, lines scanned in place, no object per line. A client
    // that reads byte by byte through a stream (or makes a String per line) takes longer over a
    // million-line response than the server takes to write it, and would measure itself.
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private int lineLength;

    private int nextByte() throws IOException {
        if (position == limit) {
            limit = in.read(buffer);
            position = 0;
            if (limit <= 0) {
                throw new IOException("connection closed");
            }
            bytes += limit;
        }
        return buffer[position++];
    }

    /** One response line with its literals skipped (their bytes counted): line ends are CRLF. */
    private void readLogical() throws IOException {
        lineLength = 0;
        while (true) {
            appendLine();
            long literal = literalAtEnd();
            if (literal < 0) {
                return;
            }
            skip(literal);
        }
    }

    private void appendLine() throws IOException {
        int c;
        while ((c = nextByte()) != '\n') {
            if (lineLength == line.length) {
                line = java.util.Arrays.copyOf(line, line.length * 2);
            }
            line[lineLength++] = (byte) c;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
    }

    /** The n of a line ending in {n}, or -1. */
    private long literalAtEnd() {
        if (lineLength < 3 || line[lineLength - 1] != '}') {
            return -1;
        }
        long n = 0;
        long scale = 1;
        for (int i = lineLength - 2; i >= 0; i--) {
            byte b = line[i];
            if (b == '{') {
                return scale == 1 ? -1 : n;
            }
            if (b < '0' || b > '9') {
                return -1;
            }
            n += (b - '0') * scale;
            scale *= 10;
        }
        return -1;
    }

    private void skip(long n) throws IOException {
        while (n > 0) {
            if (position == limit) {
                nextByte();
                position--;
            }
            int step = (int) Math.min(n, limit - position);
            position += step;
            n -= step;
        }
    }

    private boolean lineStartsWith(byte[] prefix) {
        return lineLength >= prefix.length && java.util.Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    private String lineText() {
        return new String(line, 0, lineLength, StandardCharsets.ISO_8859_1);
    }

    /** Heap in use after a full GC, from jcmd GC.heap_info ("used NNNK"). */
    /**
     * What a server JVM has allocated on its heap, all its threads (ended ones too) together, read
     * through the management agent the bench starts in it.
     */
    private static final class Allocation implements AutoCloseable {
        private final JMXConnector connector;
        private final MBeanServerConnection server;

        Allocation(long pid) throws Exception {
            var vm = VirtualMachine.attach(Long.toString(pid));
            try {
                connector = JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
            } finally {
                vm.detach();
            }
            server = connector.getMBeanServerConnection();
        }

        long bytes() throws Exception {
            return (Long) server.getAttribute(new ObjectName("java.lang:type=Threading"), "TotalThreadAllocatedBytes");
        }

        @Override
        public void close() throws IOException {
            connector.close();
        }
    }

    private static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        var info = jcmd(pid, "GC.heap_info");
        // every generation's "used" (Serial: DefNew and Tenured; G1: the one heap line), not Metaspace's (no total)
        var m = Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
        long used = -1;
        while (m.find()) {
            used = Math.max(0, used) + Long.parseLong(m.group(1)) * 1024;
        }
        return used;
    }

    private static String jcmd(long pid, String command) throws Exception {
        var jcmd = ProcessHandle.current().info().command().orElse("java").replaceAll("java$", "jcmd");
        var p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }
}
