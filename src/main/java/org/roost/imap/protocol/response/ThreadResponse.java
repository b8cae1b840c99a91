package org.roost.imap.protocol.response;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntToLongFunction;

/**
 * THREAD data (RFC 5256 §4, §5 {@code thread-data}): {@code * THREAD (2)(3 6 (4 23)(44 7 96))}.
 * Written with an explicit stack, so a chain a million messages deep is a long line, not a deep
 * call stack.
 */
public final class ThreadResponse {
    private static final byte[] THREAD = "* THREAD".getBytes(StandardCharsets.US_ASCII);
    /** Stack entries: a node whose members to write, one to write in parentheses, or a ')'. */
    private static final int MEMBERS = 0;
    private static final int LIST = 1;
    private static final int CLOSE = 2;

    /**
     * A forest as linked nodes: node 0 is the root, whose children are the threads;
     * {@code message[node]} is a sequence number, or 0 for a dummy (a parent that is not among
     * the messages, which groups its children).
     */
    public record Forest(int[] firstChild, int[] nextSibling, int[] message) {}

    private ThreadResponse() {}

    /** The threads of {@code forest}; {@code number} maps a sequence number to what is shown. */
    public static void write(ResponseBuffer out, Forest forest, IntToLongFunction number) throws IOException {
        out.bytes(THREAD);
        var stack = new Stack();
        if (forest.firstChild()[0] >= 0) {
            out.write(' ');
            pushLists(stack, forest, 0);
        }
        while (!stack.isEmpty()) {
            long entry = stack.pop();
            int node = (int) (entry >>> 2);
            switch ((int) (entry & 3)) {
                case CLOSE -> out.write(')');
                case LIST -> {
                    out.write('(');
                    stack.push(node, CLOSE);
                    stack.push(node, MEMBERS);
                }
                default -> members(out, stack, forest, node, number);
            }
        }
        out.endLine();
    }

    /**
     * thread-members: a message, then its only child's members after a space, or its children as
     * nested lists; a dummy is just its children as nested lists.
     */
    private static void members(ResponseBuffer out, Stack stack, Forest forest, int node, IntToLongFunction number)
            throws IOException {
        int first = forest.firstChild()[node];
        if (forest.message()[node] != 0) {
            out.number(number.applyAsLong(forest.message()[node]));
            if (first < 0) {
                return;
            }
            out.write(' ');
            if (forest.nextSibling()[first] < 0) {
                stack.push(first, MEMBERS);
                return;
            }
        }
        pushLists(stack, forest, node);
    }

    /** Each child of {@code node} as a parenthesized list, in order. */
    private static void pushLists(Stack stack, Forest forest, int node) {
        int mark = stack.size;
        for (int child = forest.firstChild()[node]; child >= 0; child = forest.nextSibling()[child]) {
            stack.push(child, LIST);
        }
        stack.reverseFrom(mark);
    }

    /** A growable stack of (node, kind) pairs packed into longs. */
    private static final class Stack {
        private long[] entries = new long[64];
        private int size;

        void push(int node, int kind) {
            if (size == entries.length) {
                entries = Arrays.copyOf(entries, size * 2);
            }
            entries[size++] = ((long) node << 2) | kind;
        }

        long pop() {
            return entries[--size];
        }

        boolean isEmpty() {
            return size == 0;
        }

        void reverseFrom(int from) {
            for (int i = from, j = size - 1; i < j; i++, j--) {
                long swap = entries[i];
                entries[i] = entries[j];
                entries[j] = swap;
            }
        }
    }
}
