package org.roost.imap.urlauth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.roost.testing.RawImapClient;
import org.roost.testing.TestServer;

/**
 * A server for URLAUTH tests: the users of RFC 4467's examples ({@code joe} owns the mail, {@code fred} is who a
 * URL is for, {@code submitserver} is the one message submission entity) and {@code mallory}, who is none of them.
 */
final class UrlAuthServer {
    static final String PASSWORD = "secret";
    static final String SUBMIT = "submitserver";

    private UrlAuthServer() {}

    static TestServer start(Path dir) throws IOException {
        return start(dir, Map.of());
    }

    static TestServer start(Path dir, Map<String, String> overrides) throws IOException {
        Files.createDirectories(dir);
        var passwd = new StringBuilder();
        for (var user : new String[] {"joe", "fred", SUBMIT, "mallory"}) {
            passwd.append(user).append(":{PLAIN}").append(PASSWORD).append("::::::\n");
        }
        Files.writeString(dir.resolve("passwd"), passwd);
        var env = new java.util.HashMap<>(Map.of("ROOST_MAIL_FSYNC", "false",
                "ROOST_IMAP_URLAUTH_SUBMITUSERS", SUBMIT, "ROOST_IMAP_URLAUTH_MAXURLS", "3",
                "ROOST_IMAP_URLAUTH_MAXURLLENGTH", "300"));
        env.putAll(overrides);
        return TestServer.start(dir, env);
    }

    /** A server whose joe has one message in INBOX, UID 1: {@code message}. */
    static TestServer startWith(Path dir, String message) throws IOException {
        var server = start(dir);
        try (var joe = login(server, "joe")) {
            if (!joe.append("INBOX", message).ok()) {
                throw new AssertionError("APPEND of joe's message failed");
            }
        }
        return server;
    }

    static RawImapClient login(TestServer server, String user) throws IOException {
        var client = server.connect();
        client.expectOk("LOGIN " + user + " " + PASSWORD);
        return client;
    }

    /** GENURLAUTH of one rump with INTERNAL: the authorized URL. */
    static String authorize(RawImapClient client, String rump) throws IOException {
        var r = client.expectOk("GENURLAUTH \"" + rump + "\" INTERNAL");
        var line = r.untagged().getFirst();
        return line.substring("* GENURLAUTH \"".length(), line.length() - 1);
    }

    /** The literal URLFETCH returns for one URL, or null for NIL. */
    static String fetch(RawImapClient client, String url) throws IOException {
        var r = client.expectOk("URLFETCH \"" + url + "\"");
        var line = r.untagged().getFirst();
        var prefix = "* URLFETCH \"" + url + "\" ";
        if (!line.startsWith(prefix)) {
            throw new AssertionError(line);
        }
        var value = line.substring(prefix.length());
        return value.equals("NIL") ? null : value.substring(value.indexOf("}\r\n") + 3);
    }

    /** The token Roost's INTERNAL mechanism gives {@code rump} with the key {@code hexKey}: "01", HMAC-SHA1. */
    static String token(String hexKey, String rump) throws GeneralSecurityException {
        var mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(HexFormat.of().parseHex(hexKey), "HmacSHA1"));
        return "01" + HexFormat.of().formatHex(mac.doFinal(rump.getBytes(StandardCharsets.US_ASCII)));
    }
}
