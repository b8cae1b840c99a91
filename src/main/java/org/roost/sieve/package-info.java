/**
 * Sieve (RFC 5228) for users moving from Dovecot with their Pigeonhole scripts: storage, compilation and execution.
 *
 * <p>{@link org.roost.sieve.ScriptStores} finds a user's {@link org.roost.sieve.ScriptStore} ({@code ~/sieve/NAME.sieve}
 * and the active link {@code ~/.dovecot.sieve}), which ManageSieve edits and delivery reads.
 * {@link org.roost.sieve.SieveCompiler} parses and checks a script into a {@link org.roost.sieve.CompiledScript} or an
 * error with its line; {@link org.roost.sieve.ScriptCache} keeps compiled scripts until their files change;
 * {@link org.roost.sieve.SieveFilter} runs them at delivery and sends what leaves through the relay; what must not
 * happen twice when the MTA retries a delivery cut short is remembered in the user's home: replies and redirects
 * ({@code ResponseLog}), and the stores of a delivery that stores its message more than once
 * ({@link org.roost.sieve.StoreJournal}). The
 * language is Roost's own (lexer, parser, signatures, interpreter): Apache jSieve 0.8 lacks variables, imap4flags,
 * relational, subaddress, copy, include, ereject, date/index and mailbox, and variables reach into every string.
 */
package org.roost.sieve;
