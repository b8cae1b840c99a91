package org.roost.imap.protocol;

/** What SORT and THREAD share with SEARCH (RFC 5256 §5 {@code search-criteria}): a charset and keys, UID form or not. */
public interface SearchCriteria extends Command {
    boolean uid();

    String charset();

    SearchKey key();
}
