/**
 * URLAUTH (RFC 4467) apart from its commands: {@link org.roost.imap.urlauth.UrlAuthority} authorizes a URL with
 * the owner's mailbox access key (kept by {@link org.roost.index.UrlAuthKeys}) and checks one before
 * {@link org.roost.imap.urlauth.UrlPart} finds the message part it names and reads it ({@link
 * org.roost.imap.urlauth.PartBytes}): as stored for URLFETCH and CATENATE's URL parts alike, decoded and described
 * for RFC 5524's BINARY and BODYPARTSTRUCTURE, within a URL-PARTIAL range (RFC 5550). The grammar of the URLs is {@code org.roost.imap.protocol}'s; the executors (GENURLAUTH, RESETKEY,
 * URLFETCH) are {@code org.roost.imap.command}'s, which use this package and are not used by it.
 */
package org.roost.imap.urlauth;
