package org.roost.imap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.config.ConfigException;
import org.roost.config.ConfigLoader;
import org.roost.testing.TestServer;

/** ID (RFC 2971 §3.3) answers with the fields of {@code imap.id.fields}, in their order, quoted as strings. */
class IdFieldsTest {

    private static List<String> idAnswer(Path dir, String yaml) throws IOException, ConfigException {
        var file = Files.writeString(Files.createDirectories(dir).resolve("roost.yaml"), yaml);
        var config = new ConfigLoader().load(file, TestServer.baseEnvironment(dir));
        try (var server = TestServer.start(config); var client = server.imap()) {
            client.greeting();
            return client.command("a", "ID (\"name\" \"test\")");
        }
    }

    @Test
    void theConfiguredFieldsAreSentInTheirOrder(@TempDir Path dir) throws Exception {
        assertEquals(List.of("* ID (\"name\" \"Example \\\"Mail\\\"\" \"support-url\" \"https://example.org/help\")",
                        "a OK ID completed."),
                idAnswer(dir, "imap: {id: {fields: {name: 'Example \"Mail\"', support-url: 'https://example.org/help'}}}"));
    }

    @Test
    void noFieldsIsNil(@TempDir Path dir) throws Exception {
        assertEquals(List.of("* ID NIL", "a OK ID completed."), idAnswer(dir, "imap: {id: {fields: {name: ~}}}"));
    }
}
