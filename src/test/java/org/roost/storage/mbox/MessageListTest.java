package org.roost.storage.mbox;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The chunked message list: a change copies the changed messages' chunks only, and reads like a plain list. */
class MessageListTest {

    private static MboxMessage message(long uid, boolean written) {
        var meta = new Metadata();
        meta.uid = uid;
        var found = new Scanner.Found(uid * 100, 10, 0, 0, uid * 100 + 50, uid * 100 + 51, uid * 100 + 99,
                uid * 100 + 100, -1, -1, 0, meta, 40, 42);
        return new MboxMessage(uid, found, Set.of(), Set.of(), true, written);
    }

    @Test
    void aChangeCopiesOnlyTheChunksOfTheChangedMessages() {
        var plain = new ArrayList<MboxMessage>();
        for (int i = 0; i < 100_000; i++) {
            plain.add(message(i + 1, true));
        }
        var list = MessageList.of(plain);
        int chunks = (100_000 + MessageList.CHUNK - 1) / MessageList.CHUNK;
        var replaced = new TreeMap<Integer, MboxMessage>();
        replaced.put(50_000, message(50_001, true));
        var changed = list.with(replaced);
        assertEquals(chunks - 1, changed.sharedChunks(list));
        assertSame(replaced.get(50_000), changed.get(50_000));
        assertSame(plain.get(49_999), changed.get(49_999));
        assertSame(list, MessageList.of(list), "a list of this kind is not copied again");
        assertSame(list, list.with(new TreeMap<>()));
    }

    @Test
    void readsAndChangesLikeAPlainListOverRandomChanges() {
        var random = new Random(20261207L);
        for (int round = 0; round < 50; round++) {
            int size = random.nextInt(3 * MessageList.CHUNK + 2);
            var plain = new ArrayList<MboxMessage>();
            for (int i = 0; i < size; i++) {
                plain.add(message(i + 1, random.nextInt(20) > 0));
            }
            var list = MessageList.of(plain);
            for (int change = 0; change < 5 && size > 0; change++) {
                var replaced = new TreeMap<Integer, MboxMessage>();
                for (int k = random.nextInt(4); k >= 0; k--) {
                    int i = random.nextInt(size);
                    replaced.put(i, message(i + 1, random.nextInt(20) > 0));
                }
                replaced.forEach(plain::set);
                list = list.with(replaced);
                assertEquals(plain, list);
                assertEquals(firstUnwritten(plain), list.firstUnwritten());
            }
            assertEquals(plain, List.copyOf(list));
            assertEquals(firstUnwritten(plain), list.firstUnwritten());
            int outside = size;
            assertThrows(IndexOutOfBoundsException.class, () -> MessageList.of(plain).get(outside));
        }
    }

    private static int firstUnwritten(List<MboxMessage> messages) {
        for (int i = 0; i < messages.size(); i++) {
            if (!messages.get(i).uidWritten()) {
                return i;
            }
        }
        return -1;
    }
}
