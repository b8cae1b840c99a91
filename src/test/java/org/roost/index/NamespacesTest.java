package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.roost.acl.Identifier;
import org.roost.acl.Requester;

class NamespacesTest {
    private final Namespaces namespaces = new Namespaces("Shared", null, "Public", null, 1);

    @Test
    void namesLeadToTheirNamespace() {
        assertEquals(new Namespaces.Own("INBOX"), namespaces.place("INBOX", '.'));
        assertEquals(new Namespaces.Own("Sharedx.y"), namespaces.place("Sharedx.y", '.'));
        assertEquals(new Namespaces.Foreign("bob", "INBOX"), namespaces.place("Shared.bob.INBOX", '.'));
        assertEquals(new Namespaces.Foreign("bob", "a.b"), namespaces.place("Shared.bob.a.b", '.'));
        assertEquals(new Namespaces.Foreign("a.b\\c", "INBOX"), namespaces.place("Shared.a\\2eb\\5cc.INBOX", '.'));
        for (var nowhere : new String[] {"Shared", "Shared.", "Shared.bob", "Shared.bob.", "Shared..x", "Shared.\\2.x",
                "Shared.\\zz.x", "Shared.\\41.x", "Shared.\\.x"}) {
            assertEquals(new Namespaces.Nowhere(), namespaces.place(nowhere, '.'), nowhere);
        }
    }

    @Test
    void everyUserNameHasExactlyOneSegment() {
        var random = RandomGenerator.of("L64X128MixRandom");
        for (int i = 0; i < 2000; i++) {
            var name = random.ints(1 + random.nextInt(12), 0, 4).mapToObj(k -> "a.\\/".substring(k, k + 1))
                    .reduce("", String::concat);
            var shared = namespaces.sharedName(name, "INBOX", '.');
            assertEquals(new Namespaces.Foreign(name, "INBOX"), namespaces.place(shared, '.'), shared);
        }
    }

    @Test
    void sharedOwnersAreKeptAndADamagedFileIsStartedAfresh(@TempDir Path dir) throws Exception {
        var file = dir.resolve("shared-owners.json");
        var owners = SharedOwners.open(file, false);
        owners.record("bob", Set.of(new Identifier.User("alice"), new Identifier.Owner()));
        owners.record("carol", Set.of(new Identifier.Group("team")));
        var again = SharedOwners.open(file, false);
        assertEquals(Set.of("bob"), again.sharingWith(new Requester("alice", Set.of(), false)));
        assertEquals(Set.of("carol"), again.sharingWith(new Requester("dave", Set.of("team"), false)));
        assertEquals(Set.of(), again.sharingWith(new Requester("bob", Set.of(), false)));
        again.record("bob", Set.of());
        assertEquals(Set.of(), SharedOwners.open(file, false).sharingWith(new Requester("alice", Set.of(), false)));
        Files.writeString(file, "{\"bob\": [\"user=alice\", 7, \"nonsense\"], \"x\": ");
        assertEquals(Set.of(), SharedOwners.open(file, false).sharingWith(new Requester("alice", Set.of(), false)));
        Files.writeString(file, "{\"bob\": [\"user=alice\", \"nonsense\"], \"x\": null}");
        assertEquals(Set.of("bob"), SharedOwners.open(file, false).sharingWith(new Requester("alice", Set.of(), false)));
    }

    @Test
    void aSegmentThatDecodesToNothingIsNone() {
        assertNull(Namespaces.decode("", '.'));
        assertNull(Namespaces.decode("\\2f", '.'));
    }
}
