package org.roost.imap.protocol;

/**
 * One sort-criterion of RFC 5256 §5 (and RFC 5957's DISPLAYFROM, DISPLAYTO, RFC 6203 §6's RELEVANCY): a key,
 * maybe REVERSE.
 */
public record SortCriterion(Key key, boolean reverse) {

    /** sort-key. */
    public enum Key { ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, DISPLAYFROM, DISPLAYTO, RELEVANCY }
}
