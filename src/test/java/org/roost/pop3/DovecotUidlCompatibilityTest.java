package org.roost.pop3;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Maildir that real Dovecot 2.3 wrote (src/test/resources/maildir/dovecot-fixture) served by
 * Roost answers STAT, LIST and UIDL exactly as Debian's dovecot-pop3d answered for it
 * (pop3/dovecot-fixture-pop3.txt, made by pop3/generate-dovecot-pop3.sh): a client moving
 * from Dovecot to Roost downloads nothing twice.
 */
class DovecotUidlCompatibilityTest {
    @TempDir
    Path dir;

    @Test
    void statListAndUidlEqualDovecots() throws Exception {
        Files.writeString(dir.resolve("passwd"), "fixture:{PLAIN}secret::::::\n");
        copyTree(resource("/maildir/dovecot-fixture"), dir.resolve("mail/fixture"));
        var expected = Files.readAllLines(resource("/pop3/dovecot-fixture-pop3.txt"), StandardCharsets.UTF_8);
        try (var server = Pop3Users.server(dir); var c = new Pop3TestClient(server.pop3Port())) {
            c.login("fixture", "secret");
            var actual = new ArrayList<String>();
            var stat = c.command("STAT").split(" ");
            actual.add("stat\t" + stat[1] + "\t" + stat[2]);
            c.command("LIST");
            listing(c.multilineText(), "list", actual);
            c.command("UIDL");
            listing(c.multilineText(), "uidl", actual);
            assertEquals(String.join("\n", expected), String.join("\n", actual));
            c.command("QUIT");
        }
    }

    private static void listing(String body, String kind, List<String> out) {
        for (var line : body.split("\r\n")) {
            if (!line.equals(".")) {
                out.add(kind + "\t" + line.replace(' ', '\t'));
            }
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(Objects.requireNonNull(DovecotUidlCompatibilityTest.class.getResource(name), name).toURI());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (var path : (Iterable<Path>) paths::iterator) {
                var target = to.resolve(from.relativize(path).toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(path, target);
                }
            }
        }
        for (var sub : new String[] {"new", "tmp"}) {
            Files.createDirectories(to.resolve(sub));
        }
    }
}
