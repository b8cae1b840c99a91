import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import org.roost.mail.mime.CrlfInputStream;
import org.roost.mail.mime.MessageHeader;
import org.roost.mail.sort.KeyRanker;
import org.roost.mail.sort.SentDate;
import org.roost.mail.sort.SortField;

/**
 * What a first SORT spends on one message, in CPU time of one thread, in four rounds over the same files
 * (the first round meets files not yet cached and a JVM not yet compiled): the open and read of the first
 * 4 KB, the header parse, and the seven sort keys. Issue 15's explanation of the first SORT's cost.
 *
 * <pre>java -cp target/classes:target/lib/* bench/HeaderCost.java MAILDIR/cur COUNT</pre>
 */
public class HeaderCost {
    public static void main(String[] args) throws Exception {
        var files = new ArrayList<Path>();
        int count = Integer.parseInt(args[1]);
        try (var listing = Files.newDirectoryStream(Path.of(args[0]))) {
            for (var file : listing) {
                if (files.size() == count) {
                    break;
                }
                files.add(file);
            }
        }
        var threads = ManagementFactory.getThreadMXBean();
        for (int round = 0; round < 4; round++) {
            long read = 0;
            long parse = 0;
            long keys = 0;
            long sink = 0;
            for (var file : files) {
                long start = threads.getCurrentThreadCpuTime();
                byte[] bytes;
                try (var in = Files.newInputStream(file)) {
                    bytes = in.readNBytes(4096);
                }
                long read1 = threads.getCurrentThreadCpuTime();
                var envelope = MessageHeader.read(new CrlfInputStream(new ByteArrayInputStream(bytes))).envelope();
                long parsed = threads.getCurrentThreadCpuTime();
                var sent = SentDate.parse(envelope.date());
                sink += KeyRanker.key(sent == null ? 0 : sent).length;
                for (var field : SortField.values()) {
                    sink += field == SortField.DATE ? 0 : KeyRanker.key(field.key(envelope)).length;
                }
                long keyed = threads.getCurrentThreadCpuTime();
                read += read1 - start;
                parse += parsed - read1;
                keys += keyed - parsed;
            }
            double n = files.size() * 1000.0;
            System.out.printf("round %d, %d files, CPU a file: open and read %.1f us, parse %.1f us, keys %.1f us (%d)%n",
                    round, files.size(), read / n, parse / n, keys / n, sink);
        }
    }
}
