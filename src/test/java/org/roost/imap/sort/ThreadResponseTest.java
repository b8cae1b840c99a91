package org.roost.imap.sort;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.roost.imap.protocol.response.ResponseBuffer;
import org.roost.imap.protocol.response.ThreadResponse;

/** The THREAD response's nesting (RFC 5256 §4), from the RFC's own examples. */
class ThreadResponseTest {

    private static String write(int[] parentOf, int[] message) throws IOException {
        int n = parentOf.length;
        var firstChild = new int[n];
        var nextSibling = new int[n];
        Arrays.fill(firstChild, -1);
        Arrays.fill(nextSibling, -1);
        var last = new int[n];
        Arrays.fill(last, -1);
        for (int node = 1; node < n; node++) {
            int parent = parentOf[node];
            if (last[parent] < 0) {
                firstChild[parent] = node;
            } else {
                nextSibling[last[parent]] = node;
            }
            last[parent] = node;
        }
        var bytes = new ByteArrayOutputStream();
        var out = new ResponseBuffer(bytes);
        ThreadResponse.write(out, new ThreadResponse.Forest(firstChild, nextSibling, message), seq -> seq);
        out.drain();
        return bytes.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void theRfcsExampleTree() throws IOException {
        // nodes:        0  2  3  6  4  23 44 7  96
        int[] parent = {0, 0, 0, 2, 3, 4, 3, 6, 7};
        int[] message = {0, 2, 3, 6, 4, 23, 44, 7, 96};
        assertEquals("* THREAD (2)(3 6 (4 23)(44 7 96))\r\n", write(parent, message));
    }

    @Test
    void siblingsUnderAParentNotFound() throws IOException {
        assertEquals("* THREAD ((3)(5))\r\n", write(new int[] {0, 0, 1, 1}, new int[] {0, 0, 3, 5}));
    }

    @Test
    void noThreads() throws IOException {
        assertEquals("* THREAD\r\n", write(new int[] {0}, new int[] {0}));
    }
}
