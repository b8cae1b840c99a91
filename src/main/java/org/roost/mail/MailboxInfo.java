package org.roost.mail;

/**
 * One entry of {@link MailStore#list()}.
 *
 * @param name        the mailbox name, levels separated by the store's delimiter
 * @param selectable  false for a parent that exists only because a child does ({@code \Noselect})
 * @param hasChildren true if some mailbox lies below this one
 */
public record MailboxInfo(String name, boolean selectable, boolean hasChildren) {
}
