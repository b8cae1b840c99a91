package org.roost.imap.protocol;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The options of an extended LIST (RFC 5258 §3): which names it selects and what it returns of them.
 * {@code extended} is whether the command used the extended syntax at all (selection options, several
 * patterns or RETURN): only then may the answer carry extended data, and only then does an empty pattern
 * lose its RFC 3501 meaning (§3).
 *
 * @param status the STATUS items of {@code RETURN (STATUS (...))} (RFC 5819), in the order asked; empty
 *               when not asked
 */
public record ListOptions(boolean extended, Set<Selection> selection, Set<Return> returns, List<StatusItem> status) {

    /** Selection options (RFC 5258 §3.1, RFC 6154 §2). */
    public enum Selection { SUBSCRIBED, REMOTE, RECURSIVEMATCH, SPECIAL_USE }

    /** Return options other than STATUS (RFC 5258 §3.2, RFC 6154 §2). */
    public enum Return { SUBSCRIBED, CHILDREN, SPECIAL_USE }

    /** LIST as RFC 3501 has it. */
    public static final ListOptions BASIC = new ListOptions(false, Set.of(), Set.of(), List.of());

    public ListOptions {
        selection = selection.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(selection));
        returns = returns.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(returns));
        status = List.copyOf(status);
    }

    public boolean selects(Selection option) {
        return selection.contains(option);
    }

    /** Whether the answer tells subscription: asked, or implied by the SUBSCRIBED selection option. */
    public boolean returnsSubscribed() {
        return returns.contains(Return.SUBSCRIBED) || selects(Selection.SUBSCRIBED);
    }

    /** Whether the answer tells special uses: asked, implied by the SPECIAL-USE selection, or a plain LIST. */
    public boolean returnsSpecialUse() {
        return !extended || returns.contains(Return.SPECIAL_USE) || selects(Selection.SPECIAL_USE);
    }

    /**
     * Whether the answer tells children: asked, or a plain LIST (which always did, RFC 3348). An extended LIST
     * that did not ask leaves them out, as RFC 5258's examples (and Dovecot) do.
     */
    public boolean returnsChildren() {
        return !extended || returns.contains(Return.CHILDREN);
    }
}
