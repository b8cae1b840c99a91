/**
 * Dovecot-compatible password schemes ({@code {SCHEME}value} as in a passwd-file).
 * Entry points: {@link org.roost.auth.password.Passwords} (verify, hash, secrets for CRAM-MD5 and
 * SCRAM) and {@link org.roost.auth.password.PwCommand} ({@code roost pw}, like {@code doveadm pw}).
 * Hashing primitives come from the JDK, commons-codec and BouncyCastle; this package only encodes,
 * decodes and compares (in constant time).
 */
package org.roost.auth.password;
