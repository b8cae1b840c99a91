package org.roost.testing;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The messages a {@code UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[])} transcript
 * shows, by UID, whatever order the server put the items and keywords in: two servers over the same
 * files can be compared message by message.
 */
public final class FetchTranscript {

    /** One message as the server showed it. */
    public record Fetched(long uid, Set<String> flags, long size, Instant internalDate, String body) {
    }

    private static final Pattern ITEM = Pattern.compile(
            "\\G\\s*(?:UID (\\d+)|FLAGS \\(([^)]*)\\)|RFC822\\.SIZE (\\d+)|INTERNALDATE \"([^\"]+)\"|BODY\\[] \\{(\\d+)}\\r\\n)");
    private static final Pattern FETCH = Pattern.compile("\\* \\d+ FETCH \\(");
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("d-MMM-yyyy HH:mm:ss Z", Locale.ROOT);

    private FetchTranscript() {
    }

    /** Every message of the transcript, by UID; \Recent is left out (it belongs to a session). */
    public static Map<Long, Fetched> parse(String transcript) {
        var out = new TreeMap<Long, Fetched>();
        var fetch = FETCH.matcher(transcript);
        int at = 0;
        while (fetch.find(at)) {
            long uid = -1;
            long size = -1;
            Set<String> flags = Set.of();
            Instant date = null;
            String body = null;
            Matcher item = ITEM.matcher(transcript);
            int pos = fetch.end();
            while (item.find(pos) && item.start() == pos) {
                pos = item.end();
                if (item.group(1) != null) {
                    uid = Long.parseLong(item.group(1));
                } else if (item.group(2) != null) {
                    var set = new TreeSet<String>();
                    for (var flag : item.group(2).split(" ")) {
                        if (!flag.isEmpty() && !flag.equalsIgnoreCase("\\Recent")) {
                            set.add(flag);
                        }
                    }
                    flags = set;
                } else if (item.group(3) != null) {
                    size = Long.parseLong(item.group(3));
                } else if (item.group(4) != null) {
                    date = ZonedDateTime.parse(item.group(4).strip(), DATE).toInstant();
                } else {
                    int length = Integer.parseInt(item.group(5));
                    body = transcript.substring(pos, pos + length);
                    pos += length;
                }
            }
            if (uid >= 0) {
                out.put(uid, new Fetched(uid, flags, size, date, body));
            }
            at = pos;
        }
        return out;
    }

    /** The value of a status item ({@code UIDVALIDITY}, {@code UIDNEXT}) in a transcript, or -1. */
    public static long status(String transcript, String item) {
        var m = Pattern.compile(item + " (\\d+)").matcher(transcript);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The command a transcript asks for. */
    public static String command(String tag) {
        return tag + " UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[])";
    }
}
