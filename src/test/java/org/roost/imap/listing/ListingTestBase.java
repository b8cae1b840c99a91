package org.roost.imap.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A fresh user of the shared Maildir server per test, and the RFC examples' lines in the form this store
 * gives them: the RFCs' examples use the hierarchy delimiter "/" and quote every name; a Maildir store's
 * delimiter is "." and Roost sends a name that is an atom as an atom. {@link #rfc} turns one into the other
 * and changes nothing else, so what is compared is the RFC's line byte for byte otherwise.
 */
abstract class ListingTestBase {
    private static final Pattern MAILBOX_DATA =
            Pattern.compile("^(\\* (?:LIST \\([^)]*\\)|STATUS)) (?:\"/\"|\"\\.\") +(\"[^\"]*\"|[^ ]+)(.*)$");
    private static final Pattern STATUS_DATA = Pattern.compile("^(\\* STATUS) (\"[^\"]*\"|[^ ]+)(.*)$");
    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9.]+");

    TestServer server;
    String user;
    RawImapClient c;
    private final List<RawImapClient> clients = new ArrayList<>();

    @BeforeEach
    void freshUser() throws Exception {
        server = TestServer.shared("maildir");
        user = server.newUser();
        c = login();
    }

    @AfterEach
    void closeClients() throws IOException {
        for (var client : clients) {
            client.close();
        }
    }

    RawImapClient login() throws IOException {
        var client = server.login(user);
        clients.add(client);
        return client;
    }

    void create(String... names) throws IOException {
        for (var name : names) {
            c.expectOk("CREATE " + name);
        }
    }

    void subscribe(String... names) throws IOException {
        for (var name : names) {
            c.expectOk("SUBSCRIBE " + name);
        }
    }

    /** Runs {@code command}, which must succeed, and checks its untagged lines. */
    void assertAnswer(String command, List<String> expected) throws IOException {
        var r = c.run(command);
        assertEquals(true, r.ok(), r.toString());
        assertEquals(expected, r.untagged(), command);
    }

    /** RFC example lines ({@code S: } prefix optional) in this store's form. */
    static List<String> rfc(String... lines) {
        return List.of(lines).stream().map(line -> line.replaceFirst("^S: ", "")).map(ListingTestBase::local).toList();
    }

    private static String local(String line) {
        var list = MAILBOX_DATA.matcher(line);
        if (list.matches() && line.startsWith("* LIST")) {
            return list.group(1) + " \".\" " + name(list.group(2)) + list.group(3);
        }
        var status = STATUS_DATA.matcher(line);
        if (status.matches()) {
            return status.group(1) + " " + name(status.group(2)) + status.group(3);
        }
        return line;
    }

    private static String name(String sent) {
        var bare = sent.startsWith("\"") ? sent.substring(1, sent.length() - 1) : sent;
        var local = bare.replace('/', '.');
        return ATOM.matcher(local).matches() ? local : "\"" + local + "\"";
    }
}
