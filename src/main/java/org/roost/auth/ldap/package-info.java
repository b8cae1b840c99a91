/**
 * The LDAP user database (Dovecot's passdb/userdb ldap) over the UnboundID LDAP SDK: lookup mode (the password
 * attribute read with a service bind) and auth-bind mode (a bind as the user), RFC 4515 filter and RFC 4514 DN
 * escaping, LDAPS/StartTLS with a configured CA, no referrals.
 */
package org.roost.auth.ldap;
