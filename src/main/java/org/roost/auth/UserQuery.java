package org.roost.auth;

import java.net.InetAddress;

/**
 * What a lookup is about: the user name the client sent, and, for databases whose queries use them (Dovecot's
 * {@code %s} and {@code %r}), the service ({@code imap}, {@code pop3}, {@code admin}) and the client's address
 * ({@code null} when there is no client).
 */
public record UserQuery(String user, String service, InetAddress remote) {

    /** A lookup made by the server itself (admin API, tools), with no client behind it. */
    public static UserQuery internal(String user) {
        return new UserQuery(user, "admin", null);
    }

    /** The service of a listener: {@code imaps} is {@code imap} and {@code pop3s} is {@code pop3}, as in Dovecot. */
    public static String service(String listener) {
        return listener.endsWith("s") ? listener.substring(0, listener.length() - 1) : listener;
    }
}
