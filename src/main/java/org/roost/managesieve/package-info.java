/**
 * ManageSieve (RFC 5804): how users edit the Sieve scripts Roost runs at delivery.
 *
 * <p>{@code ManageSieveReader} reads one command as words (atoms, numbers, quoted strings, literals {@code {n+}} and
 * {@code {n}}), every line bounded by {@code limits.maxLineLength} and every literal by the state's cap (a script
 * above {@code sieve.maxScriptSize} is read and dropped to answer QUOTA/MAXSIZE); after a syntax error it still
 * consumes the rest of the command. {@code ManageSieveCommandParser} turns the words into a
 * {@code ManageSieveCommand} value, which names the state it needs. {@code ManageSieveSession} is the state machine
 * on the same connection life as the other protocols ({@link org.roost.net.ProtocolSession}): capabilities as
 * greeting, STARTTLS, AUTHENTICATE through {@code ManageSieveAuthentication} (the server's SASL mechanisms, user
 * databases and login penalties), UNAUTHENTICATE back to a fresh pre-auth deadline, and the script commands in
 * {@code ScriptCommands}, on the user's {@link org.roost.sieve.ScriptStore} and
 * {@link org.roost.sieve.SieveCompiler}. {@code ManageSieveWriter} writes strings quoted where the grammar allows
 * and as literals otherwise.
 */
package org.roost.managesieve;
