package org.roost.imap.sort;

import java.util.Arrays;
import java.util.BitSet;
import org.roost.imap.protocol.response.ThreadResponse;
import org.roost.mail.sort.IntSort;
import org.roost.mail.sort.ThreadKeys;
import org.roost.net.Cancellation;

/**
 * THREAD=REFERENCES (RFC 5256 §3, steps 1-6) over linked nodes in primitive arrays: node 0 is the
 * root, every other node a message or a dummy (an ID only referenced). No step recurses, so a
 * chain of a million replies needs no call stack; the loop check of steps 1.A and 1.B walks up at
 * most {@code maxDepth} parents, and a link it cannot prove loop-free within that is not made.
 * IDs and subjects are the numbers of {@link ThreadKeys}, so no step hashes a string.
 */
final class ReferenceThreads {
    private static final int NONE = -1;
    private static final int ROOT = 0;
    private static final int EMPTY_SUBJECT = 0;
    private final ThreadKeys keys;
    private final int maxDepth;
    private final Cancellation cancellation;
    /** The node of each ID number, NONE before it is first seen. */
    private final int[] byId;
    private int[] parent = new int[16];
    private int[] firstChild = new int[16];
    private int[] lastChild = new int[16];
    private int[] nextSibling = new int[16];
    private int[] previousSibling = new int[16];
    /** The position among the messages found, or NONE for a dummy (and the root). */
    private int[] position = new int[16];
    /** The messages step 3 put in the place of a dummy at the top (REFS orders their threads as the dummy's). */
    private final BitSet promoted = new BitSet();
    private int nodes;

    private ReferenceThreads(ThreadKeys keys, int maxDepth, Cancellation cancellation) {
        this.keys = keys;
        this.byId = new int[keys.idCount()];
        Arrays.fill(byId, NONE);
        this.maxDepth = maxDepth;
        this.cancellation = cancellation;
        node(NONE); // the root
    }

    /** {@code found[i]} is the sequence number of the message with row i of {@code keys}; ascending. */
    static ThreadResponse.Forest of(int[] found, ThreadKeys keys, int maxDepth, Cancellation cancellation) {
        var threads = new ReferenceThreads(keys, maxDepth, cancellation);
        threads.link();
        threads.gatherRoots();
        threads.pruneDummies();
        threads.sortRoot();
        threads.mergeBySubject();
        threads.sortAll();
        return threads.forest(found);
    }

    /**
     * THREAD=REFS as Dovecot answers it (draft-ietf-morg-inthread's algorithm): steps 1 to 3 and 6 of
     * REFERENCES, without the subject steps, and the threads ordered by their latest message's sent date
     * (ties by the first message, a thread under a dummy first), so the thread last written to comes last.
     */
    static ThreadResponse.Forest refs(int[] found, ThreadKeys keys, int maxDepth, Cancellation cancellation) {
        var threads = new ReferenceThreads(keys, maxDepth, cancellation);
        threads.link();
        threads.gatherRoots();
        threads.pruneDummies();
        threads.sortAll();
        threads.sortRootByLatest();
        return threads.forest(found);
    }

    /** Step 1: each message's references linked as parent and child, then the message under its last reference. */
    private void link() {
        for (int p = 0; p < keys.size(); p++) {
            if ((p & 63) == 0) {
                cancellation.check();
            }
            int message = messageNode(p);
            int references = keys.referenceCount(p);
            for (int i = 0; i + 1 < references; i++) { // 1.A
                int from = idNode(keys.reference(p, i));
                int to = idNode(keys.reference(p, i + 1));
                if (parent[to] == NONE && !wouldLoop(from, to)) {
                    attach(from, to);
                }
            }
            // 1.B: the last reference is the parent, whatever a truncated References line made it before
            if (parent[message] != NONE) {
                detach(message);
            }
            if (references > 0) {
                int last = idNode(keys.reference(p, references - 1));
                if (!wouldLoop(last, message)) {
                    attach(last, message);
                }
            }
        }
    }

    /**
     * The node of message {@code p}: the dummy its Message-ID already has, or a new one; a message
     * without a valid ID, or with one an earlier message has, gets a node of its own (step 1.A).
     */
    private int messageNode(int p) {
        int id = keys.messageId(p);
        int known = id == ThreadKeys.NONE ? NONE : byId[id];
        if (known != NONE && position[known] == NONE) {
            position[known] = p;
            return known;
        }
        int node = node(p);
        if (id != ThreadKeys.NONE && known == NONE) {
            byId[id] = node;
        }
        return node;
    }

    /** The node with this Message-ID, a new dummy if no message has it (yet). */
    private int idNode(int id) {
        if (byId[id] == NONE) {
            byId[id] = node(NONE);
        }
        return byId[id];
    }

    /** Whether making {@code parent} the parent of {@code child} would close a loop, or cannot be shown not to. */
    private boolean wouldLoop(int newParent, int child) {
        if (newParent == child) {
            return true;
        }
        if (firstChild[child] == NONE) {
            return false; // only a node with descendants can be an ancestor of another
        }
        int steps = 0;
        for (int x = newParent; x != NONE; x = parent[x]) {
            if (x == child || ++steps > maxDepth) {
                return true;
            }
        }
        return false;
    }

    /** Step 2: every node without a parent under the root, in the order the nodes were made. */
    private void gatherRoots() {
        for (int node = 1; node < nodes; node++) {
            if (parent[node] == NONE) {
                attach(ROOT, node);
            }
        }
    }

    /** Step 3, bottom up: dummies go, their children taking their place (at the top only an only child). */
    private void pruneDummies() {
        for (int node : bottomUp()) {
            if (node == ROOT || position[node] != NONE) {
                continue;
            }
            if (firstChild[node] == NONE) {
                detach(node);
            } else if (parent[node] != ROOT || nextSibling[firstChild[node]] == NONE) {
                if (parent[node] == ROOT) {
                    promoted.set(firstChild[node]);
                }
                replaceByChildren(node);
            }
        }
    }

    /** Step 4: the threads by sent date, a dummy's children sorted first and its first child standing for it. */
    private void sortRoot() {
        for (int node = firstChild[ROOT]; node != NONE; node = nextSibling[node]) {
            if (position[node] == NONE) {
                sortChildren(node);
            }
        }
        sortChildren(ROOT);
    }

    /**
     * REFS: the threads by the sent date of their latest message, then by their first message, a thread
     * that stood under a dummy before any other (Dovecot's order: a dummy counts as UID 0).
     */
    private void sortRootByLatest() {
        var latest = new long[nodes];
        Arrays.fill(latest, Long.MIN_VALUE);
        for (int node : bottomUp()) {
            if (position[node] != NONE) {
                latest[node] = Math.max(latest[node], keys.sentDate(position[node]));
            }
            if (node != ROOT) {
                latest[parent[node]] = Math.max(latest[parent[node]], latest[node]);
            }
        }
        var threads = children(ROOT);
        IntSort.sort(threads, (a, b) -> {
            int byDate = Long.compare(latest[a], latest[b]);
            return byDate != 0 ? byDate : Integer.compare(firstMessage(a), firstMessage(b));
        });
        relink(ROOT, threads);
    }

    /** What a thread is ordered by after its date: its message's position, or -1 for a dummy's thread. */
    private int firstMessage(int thread) {
        return position[thread] == NONE || promoted.get(thread) ? -1 : position[thread];
    }

    /** Step 5: threads whose subjects are the same gathered under one. */
    private void mergeBySubject() {
        var table = new int[keys.subjectCount()]; // the node held for each subject rank
        Arrays.fill(table, NONE);
        for (int node = firstChild[ROOT]; node != NONE; node = nextSibling[node]) { // 5.B
            int subject = subject(node);
            if (subject == EMPTY_SUBJECT) {
                continue;
            }
            int held = table[subject];
            if (held == NONE || position[held] != NONE
                    && (position[node] == NONE || isReply(held) && !isReply(node))) {
                table[subject] = node;
            }
        }
        int node = firstChild[ROOT];
        while (node != NONE) { // 5.C
            cancellation.check();
            int next = nextSibling[node];
            int subject = subject(node);
            int held = subject == EMPTY_SUBJECT ? NONE : table[subject];
            if (held != NONE && held != node) {
                merge(table, subject, held, node);
            }
            node = next;
        }
    }

    private void merge(int[] table, int subject, int held, int node) {
        boolean heldDummy = position[held] == NONE;
        boolean nodeDummy = position[node] == NONE;
        if (heldDummy && nodeDummy) {
            while (firstChild[node] != NONE) {
                int child = firstChild[node];
                detach(child);
                attach(held, child);
            }
            detach(node);
        } else if (heldDummy || !nodeDummy && isReply(node) && !isReply(held)) {
            detach(node);
            attach(held, node);
        } else {
            int dummy = node(NONE);
            insertBefore(held, dummy);
            detach(held);
            detach(node);
            attach(dummy, held);
            attach(dummy, node);
            table[subject] = dummy;
        }
    }

    /** Step 6: every set of siblings by sent date, the deepest first, so that a dummy's first child is known. */
    private void sortAll() {
        for (int node : bottomUp()) {
            if (firstChild[node] != NONE && nextSibling[firstChild[node]] != NONE) {
                sortChildren(node);
            }
        }
    }

    /** Children by sent date, then sequence number; a dummy sorts as its first child (§2.2, step 6). */
    private void sortChildren(int node) {
        var children = children(node);
        IntSort.sort(children, (a, b) -> {
            int pa = representative(a);
            int pb = representative(b);
            int byDate = Long.compare(keys.sentDate(pa), keys.sentDate(pb));
            return byDate != 0 ? byDate : Integer.compare(pa, pb);
        });
        relink(node, children);
    }

    /** The children of {@code node}, in order. */
    private int[] children(int node) {
        int count = 0;
        for (int child = firstChild[node]; child != NONE; child = nextSibling[child]) {
            count++;
        }
        var children = new int[count];
        int k = 0;
        for (int child = firstChild[node]; child != NONE; child = nextSibling[child]) {
            children[k++] = child;
        }
        return children;
    }

    /** Makes {@code children}, the children of {@code node}, its children in this order. */
    private void relink(int node, int[] children) {
        firstChild[node] = NONE;
        lastChild[node] = NONE;
        for (int child : children) {
            parent[child] = NONE;
            attach(node, child);
        }
    }

    /** The message that stands for a node in sorting and subjects: itself, or a dummy's first child. */
    private int representative(int node) {
        int x = node;
        while (position[x] == NONE && firstChild[x] != NONE) {
            x = firstChild[x];
        }
        return position[x];
    }

    private int subject(int node) {
        int p = representative(node);
        return p == NONE ? EMPTY_SUBJECT : keys.subject(p);
    }

    private boolean isReply(int node) {
        return keys.replyOrForward(position[node]);
    }

    /** Every node under the root, each after all its descendants (a reversed pre-order walk, no recursion). */
    private int[] bottomUp() {
        var order = new int[nodes];
        var stack = new int[nodes];
        int size = 0;
        int count = 0;
        stack[size++] = ROOT;
        while (size > 0) {
            if ((count & 1023) == 0) {
                cancellation.check();
            }
            int node = stack[--size];
            order[count++] = node;
            for (int child = firstChild[node]; child != NONE; child = nextSibling[child]) {
                stack[size++] = child;
            }
        }
        var reversed = new int[count];
        for (int i = 0; i < count; i++) {
            reversed[i] = order[count - 1 - i];
        }
        return reversed;
    }

    /** Puts a dummy's children where it stood, in order, and removes it. */
    private void replaceByChildren(int dummy) {
        while (firstChild[dummy] != NONE) {
            int child = firstChild[dummy];
            detach(child);
            insertBefore(dummy, child);
        }
        detach(dummy);
    }

    private int node(int messagePosition) {
        if (nodes == parent.length) {
            int size = nodes * 2;
            parent = Arrays.copyOf(parent, size);
            firstChild = Arrays.copyOf(firstChild, size);
            lastChild = Arrays.copyOf(lastChild, size);
            nextSibling = Arrays.copyOf(nextSibling, size);
            previousSibling = Arrays.copyOf(previousSibling, size);
            position = Arrays.copyOf(position, size);
        }
        int node = nodes++;
        parent[node] = NONE;
        firstChild[node] = NONE;
        lastChild[node] = NONE;
        nextSibling[node] = NONE;
        previousSibling[node] = NONE;
        position[node] = messagePosition;
        return node;
    }

    /** Makes {@code child} (which has no parent) the last child of {@code node}. */
    private void attach(int node, int child) {
        parent[child] = node;
        previousSibling[child] = lastChild[node];
        nextSibling[child] = NONE;
        if (lastChild[node] == NONE) {
            firstChild[node] = child;
        } else {
            nextSibling[lastChild[node]] = child;
        }
        lastChild[node] = child;
    }

    /** Puts {@code node} (which has no parent) right before {@code sibling}, under the same parent. */
    private void insertBefore(int sibling, int node) {
        int under = parent[sibling];
        parent[node] = under;
        nextSibling[node] = sibling;
        previousSibling[node] = previousSibling[sibling];
        if (previousSibling[sibling] == NONE) {
            firstChild[under] = node;
        } else {
            nextSibling[previousSibling[sibling]] = node;
        }
        previousSibling[sibling] = node;
    }

    /** Takes {@code child} from its parent (its own children stay with it). */
    private void detach(int child) {
        int under = parent[child];
        if (under == NONE) {
            return;
        }
        if (previousSibling[child] == NONE) {
            firstChild[under] = nextSibling[child];
        } else {
            nextSibling[previousSibling[child]] = nextSibling[child];
        }
        if (nextSibling[child] == NONE) {
            lastChild[under] = previousSibling[child];
        } else {
            previousSibling[nextSibling[child]] = previousSibling[child];
        }
        parent[child] = NONE;
        nextSibling[child] = NONE;
        previousSibling[child] = NONE;
    }

    /** The tree as the THREAD response reads it: messages by sequence number, dummies 0. */
    private ThreadResponse.Forest forest(int[] found) {
        var message = new int[nodes];
        for (int node = 1; node < nodes; node++) {
            message[node] = position[node] == NONE ? 0 : found[position[node]];
        }
        return new ThreadResponse.Forest(Arrays.copyOf(firstChild, nodes), Arrays.copyOf(nextSibling, nodes), message);
    }
}
