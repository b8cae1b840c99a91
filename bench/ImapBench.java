import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Times IMAP requests against a running server (to the last byte of the tagged answer) and reads
 * the server's heap with jcmd while the mailbox is selected.
 *
 * <pre>java bench/ImapBench.java PORT USER PASSWORD SERVER_PID [select-only]</pre>
 */
public class ImapBench {
    private static final Pattern LITERAL = Pattern.compile("\\{(\\d+)}$");
    private final InputStream in;
    private final OutputStream out;
    private int tag;
    private long bytes;
    private int lines;

    ImapBench(Socket socket) throws IOException {
        in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
        out = socket.getOutputStream();
        readLine();
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long pid = Long.parseLong(args[3]);
        try (var socket = new Socket("127.0.0.1", port)) {
            var c = new ImapBench(socket);
            c.run("LOGIN " + args[1] + " " + args[2]);
            long before = heapAfterGc(pid);
            String selectResponse = c.lastUntagged("SELECT INBOX", "EXISTS");
            report("SELECT INBOX (" + selectResponse + ")", c.lastMillis);
            if (args.length > 4) {
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
            // Measured last: the index's records are read when first needed, not at SELECT.
            long after = heapAfterGc(pid);
            System.out.printf("%-52s %10.1f MB (used %.1f MB before SELECT, %.1f MB after)%n",
                    "heap held with the mailbox selected, after all this", (after - before) / 1048576.0,
                    before / 1048576.0, after / 1048576.0);
            c.run("LOGOUT");
        }
    }

    private double lastMillis;

    private static void report(String what, double millis) {
        System.out.printf("%-52s %10.1f ms%n", what, millis);
    }

    String lastUntagged(String command, String containing) throws IOException {
        var t = "b" + (++tag);
        long start = System.nanoTime();
        send(t + " " + command);
        String found = "";
        while (true) {
            var line = readLogical();
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

    void run(String command) throws IOException {
        var t = "b" + (++tag);
        bytes = 0;
        lines = 0;
        long start = System.nanoTime();
        send(t + " " + command);
        while (true) {
            var line = readLogical();
            if (line.startsWith(t + " ")) {
                lastMillis = (System.nanoTime() - start) / 1e6;
                check(line);
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

    private String readLogical() throws IOException {
        var sb = new StringBuilder(readLine());
        Matcher m = LITERAL.matcher(sb);
        while (m.find()) {
            int n = Integer.parseInt(m.group(1));
            sb.append(new String(in.readNBytes(n), StandardCharsets.ISO_8859_1));
            bytes += n;
            sb.append(readLine());
            m = LITERAL.matcher(sb);
        }
        return sb.toString();
    }

    private final ByteArrayOutputStream lineBuffer = new ByteArrayOutputStream(256);

    private String readLine() throws IOException {
        lineBuffer.reset();
        int c;
        while ((c = in.read()) != -1) {
            bytes++;
            if (c == '\n') {
                return lineBuffer.toString(StandardCharsets.ISO_8859_1).stripTrailing();
            }
            lineBuffer.write(c);
        }
        throw new IOException("connection closed");
    }

    /** Heap in use after a full GC, from jcmd GC.heap_info ("used NNNK"). */
    private static long heapAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        var info = jcmd(pid, "GC.heap_info");
        var m = Pattern.compile("used (\\d+)K").matcher(info);
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    private static String jcmd(long pid, String command) throws Exception {
        var jcmd = ProcessHandle.current().info().command().orElse("java").replaceAll("java$", "jcmd");
        var p = new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
        var text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return text;
    }
}
