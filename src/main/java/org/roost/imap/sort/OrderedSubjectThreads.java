package org.roost.imap.sort;

import java.util.Arrays;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.ThreadKeys;

/**
 * THREAD=ORDEREDSUBJECT (RFC 5256 §3): messages sorted by base subject, then sent date; one thread
 * per base subject, whose first message is the parent of all the others; threads in the order of
 * their first messages' sent dates. Ties go to the lower sequence number (§2.2).
 */
final class OrderedSubjectThreads {
    private OrderedSubjectThreads() {
    }

    /** {@code found[i]} is the sequence number of the message with row i of {@code keys}; ascending. */
    static ThreadResponse.Forest of(int[] found, ThreadKeys keys) {
        int n = found.length;
        var order = IntSort.identity(n);
        IntSort.sort(order, (a, b) -> {
            int bySubject = Integer.compare(keys.subject(a), keys.subject(b));
            return bySubject != 0 ? bySubject : Long.compare(keys.sentDate(a), keys.sentDate(b));
        });
        // Node k + 1 is position order[k]; node 0 is the root.
        var firstChild = filled(n + 1);
        var nextSibling = filled(n + 1);
        var message = new int[n + 1];
        var heads = new int[n];
        int threads = 0;
        int lastChild = -1;
        for (int k = 0; k < n; k++) {
            int node = k + 1;
            message[node] = found[order[k]];
            boolean sameSubject = k > 0 && keys.subject(order[k]) == keys.subject(order[k - 1]);
            if (!sameSubject) {
                heads[threads++] = node;
                lastChild = -1;
            } else {
                int head = heads[threads - 1];
                if (lastChild < 0) {
                    firstChild[head] = node;
                } else {
                    nextSibling[lastChild] = node;
                }
                lastChild = node;
            }
        }
        var threadOrder = IntSort.identity(threads);
        IntSort.sort(threadOrder, (a, b) -> {
            int byDate = Long.compare(date(heads[a], order, keys), date(heads[b], order, keys));
            return byDate != 0 ? byDate : Integer.compare(message[heads[a]], message[heads[b]]);
        });
        for (int t = 0; t < threads; t++) {
            int head = heads[threadOrder[t]];
            if (t == 0) {
                firstChild[0] = head;
            } else {
                nextSibling[heads[threadOrder[t - 1]]] = head;
            }
        }
        return new ThreadResponse.Forest(firstChild, nextSibling, message);
    }

    private static long date(int node, int[] order, ThreadKeys keys) {
        return keys.sentDate(order[node - 1]);
    }

    private static int[] filled(int n) {
        var array = new int[n];
        Arrays.fill(array, -1);
        return array;
    }
}
