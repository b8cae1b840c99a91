package org.roost.mail.mime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the corpus under src/test/resources/mime/ and Dovecot's recorded answers
 * (tools/fetch_expected.py: {@code === ITEM LEN\n<value>\n} repeated).
 */
public final class DovecotFixtures {
    public static final List<String> NAMES = List.of(
            "01-plain", "02-alternative", "03-mixed-attachments", "04-nested-rfc822", "05-rfc2231",
            "06-missing-headers", "07-duplicate-headers", "08-8bit-headers", "09-malformed-headers",
            "10-encoded-words", "11-group-addresses", "12-bare-lf", "13-deep-nesting",
            "14-very-deep-nesting", "15-missing-final-boundary", "16-nul-bytes", "17-huge-header-line",
            "18-digest", "19-no-body", "20-empty-multipart", "21-multipart-no-boundary-param",
            "22-rfc822-attachment-headers-only", "23-params-quirks", "24-folded-subject",
            "25-transport-padding", "26-nested-boundary-prefix", "27-no-trailing-newline",
            "28-message-global-and-types");

    /** Seeded mutations of the corpus (tools/make_mutants.py), answered by the same Dovecot. */
    public static final List<String> MUTANTS = java.util.stream.IntStream.range(0, 150)
            .mapToObj(i -> String.format("m%03d", i)).toList();

    /** Seeded generated MIME messages (tools/make_generated.py), answered by the same Dovecot. */
    public static final List<String> GENERATED = java.util.stream.IntStream.range(0, 120)
            .mapToObj(i -> String.format("g%03d", i)).toList();

    private DovecotFixtures() {
    }

    public static byte[] message(String name) throws IOException {
        return resource(base(name) + "/corpus/" + name + ".eml");
    }

    private static String base(String name) {
        if (MUTANTS.contains(name)) {
            return "/mime/mutants";
        }
        return GENERATED.contains(name) ? "/mime/generated" : "/mime";
    }

    /** Item (e.g. "ENVELOPE", "BODY.PEEK[1.MIME]") to the exact value bytes Dovecot sent. */
    public static Map<String, byte[]> expected(String name) throws IOException {
        byte[] d = resource(base(name) + "/expected/" + name + ".txt");
        Map<String, byte[]> items = new LinkedHashMap<>();
        int i = 0;
        while (i < d.length) {
            int nl = indexOf(d, (byte) '\n', i);
            String head = new String(d, i, nl - i, StandardCharsets.ISO_8859_1);
            int lenStart = head.lastIndexOf(' ');
            String item = head.substring(4, lenStart);
            int len = Integer.parseInt(head.substring(lenStart + 1));
            items.put(item, Arrays.copyOfRange(d, nl + 1, nl + 1 + len));
            i = nl + 2 + len;
        }
        return items;
    }

    /** Parses "BODY.PEEK[2.HEADER.FIELDS (Subject)]" into a SectionSpec. */
    public static SectionSpec section(String item) {
        String s = item.substring(item.indexOf('[') + 1, item.lastIndexOf(']'));
        List<Integer> path = new ArrayList<>();
        String rest = s;
        while (!rest.isEmpty() && Character.isDigit(rest.charAt(0))) {
            int dot = rest.indexOf('.');
            path.add(Integer.parseInt(dot < 0 ? rest : rest.substring(0, dot)));
            rest = dot < 0 ? "" : rest.substring(dot + 1);
        }
        int[] p = path.stream().mapToInt(Integer::intValue).toArray();
        if (rest.isEmpty()) {
            return SectionSpec.of(SectionSpec.Kind.ALL, p);
        }
        if (rest.startsWith("HEADER.FIELDS")) {
            boolean not = rest.startsWith("HEADER.FIELDS.NOT");
            String list = rest.substring(rest.indexOf('(') + 1, rest.indexOf(')'));
            return SectionSpec.fields(not, List.of(list.split(" ")), p);
        }
        return SectionSpec.of(SectionSpec.Kind.valueOf(rest), p);
    }

    private static int indexOf(byte[] d, byte b, int from) {
        for (int i = from; i < d.length; i++) {
            if (d[i] == b) {
                return i;
            }
        }
        return -1;
    }

    static byte[] resource(String path) throws IOException {
        try (InputStream in = DovecotFixtures.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("missing test resource " + path);
            }
            return in.readAllBytes();
        }
    }
}
