/**
 * LMTP (RFC 2033): how an MTA on this host hands mail to Roost.
 *
 * <p>{@code LmtpReader} reads command lines (bounded by {@code limits.maxLineLength}), DATA up to the
 * {@code CRLF.CRLF} that alone ends it (dot-unstuffed, RFC 5321 §4.5.2; a bare LF never ends it) and BDAT chunks
 * (RFC 3030), through its own buffer so that pipelined commands (RFC 2920) wait for their turn.
 * {@code LmtpCommandParser} turns a line into an {@code LmtpCommand} value or the precise reply that refuses it;
 * {@code MessageSink} checks the message as it arrives (size, NUL, bare CR/LF, undeclared 8-bit).
 * {@code LmtpSession} is the state machine (LHLO, then transactions of MAIL, RCPT, DATA or BDAT) on the same
 * connection life as the other protocols: it asks {@link org.roost.delivery.MailDelivery} for each recipient at
 * RCPT and for the delivery after the data, and answers once per accepted recipient, in order, as soon as that
 * recipient's copy is durable. Replies carry enhanced status codes (RFC 2034, RFC 3463) everywhere but in the
 * greeting and the LHLO reply.
 */
package org.roost.lmtp;
