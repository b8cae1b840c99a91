package org.roost.index;

/**
 * What an EXPUNGE of a mailbox would free now (STATUS DELETED and DELETED-STORAGE, RFC 9208 §4.1.4): the
 * messages flagged {@code \Deleted}, and their bytes as the quota counts them (the stored files' sizes).
 */
public record Reclaimable(int messages, long bytes) {}
