package org.roost.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The cache file's UID to offset table behaves as a map, checkpointed base and later additions alike. */
class UidOffsetsTest {
    @Test
    void behavesLikeAMapAcrossCheckpoints() {
        var random = new Random(0x0ff5e7L);
        var model = new TreeMap<Long, Long>();
        var table = new UidOffsets();
        for (int round = 0; round < 6; round++) {
            for (int i = 0; i < 3000; i++) {
                // mostly small UIDs, some at the top of the unsigned 32-bit range
                long uid = random.nextInt(8) == 0 ? 0xffffffffL - random.nextInt(500) : 1 + random.nextInt(5000);
                if (random.nextInt(3) == 0) {
                    assertEquals(model.containsKey(uid) ? model.remove(uid) : -1L, table.remove(uid));
                } else {
                    long offset = 8L * random.nextInt(1 << 20);
                    var before = model.put(uid, offset);
                    assertEquals(before == null ? -1L : before, table.put(uid, offset));
                }
            }
            assertEquals(model.size(), table.size());
            var sorted = table.sorted();
            var uids = model.keySet().stream().mapToInt(Long::intValue).toArray();
            var slots = model.values().stream().mapToInt(o -> (int) (o / StructureCacheFile.ALIGN)).toArray();
            assertArrayEquals(uids, sorted.uids(), "UIDs ascending, unsigned");
            assertArrayEquals(slots, sorted.slots());
            table = new UidOffsets(sorted.uids(), sorted.slots()); // as read from a checkpoint
            for (long uid = 1; uid <= 5000; uid++) {
                assertEquals(model.getOrDefault(uid, -1L), table.get(uid));
            }
            for (long uid : model.keySet()) {
                assertEquals(model.get(uid), table.get(uid));
            }
        }
    }
}
