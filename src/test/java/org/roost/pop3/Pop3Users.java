package org.roost.pop3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.roost.testing.TestServer;

/**
 * The users of the POP3 tests on a {@link TestServer} with POP3 and POP3S on, mail under {@code DIR/mail}: alice ({@code {PLAIN}secret},
 * so APOP works), bob (SHA512-CRYPT {@code hunter2}) and carol ({@code {PLAIN}nomail}), whose mail
 * directory does not exist yet.
 */
final class Pop3Users {
    static final String BOB_HASH =
            "{SHA512-CRYPT}$6$roosttestsalt$kV84AweVbjVR4kSxTnFE164HwXz5NTZak//NPni0b/Vb0sM0GXqSbZWxnU1X8tdKKWuJXc7/DXzksYcGQSeS90";

    private Pop3Users() {}

    static TestServer server(Path dir) throws IOException {
        return server(dir, Map.of());
    }

    /** With {@code overrides} of the config, e.g. {@code ROOST_AUTH_SECURENETWORKS=""} to require TLS for passwords. */
    static TestServer server(Path dir, Map<String, String> overrides) throws IOException {
        Files.createDirectories(dir);
        var passwd = dir.resolve("passwd");
        if (!Files.exists(passwd)) {
            Files.writeString(passwd, "alice:{PLAIN}secret::::::\nbob:" + BOB_HASH + "::::::\ncarol:{PLAIN}nomail::::::\n");
        }
        var env = new HashMap<String, String>();
        env.put("ROOST_LISTENERS_POP3_ENABLED", "true");
        env.put("ROOST_LISTENERS_POP3S_ENABLED", "true");
        env.put("ROOST_MAIL_FSYNC", "false");
        env.put("ROOST_MAIL_LOCATION", "maildir:" + dir.toAbsolutePath().resolve("mail") + "/%u");
        env.putAll(overrides);
        var server = TestServer.start(dir, env);
        for (var user : new String[] {"alice", "bob"}) {
            for (var sub : new String[] {"cur", "new", "tmp"}) {
                Files.createDirectories(server.maildir(user).resolve(sub));
            }
        }
        return server;
    }
}
