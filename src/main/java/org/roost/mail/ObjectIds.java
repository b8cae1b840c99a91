package org.roost.mail;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.roost.mail.mime.MessageStructure;
import org.roost.mail.sort.MessageIds;

/**
 * RFC 8474's object identifiers, made from what the storage keeps: a mailbox's GUID (MAILBOXID), a message's
 * GUID (EMAILID), and the first Message-ID of its thread (THREADID). Each is a letter for its kind (§8.1: no ID
 * starts with a digit or a dash, and no EMAILID equals a THREADID) and 24 hex digits of a SHA-256 digest, so that
 * any GUID (a Dovecot base name holds dots, commas and '=') becomes an {@code objectid}; a mailbox GUID that is
 * one already (Dovecot's 32 hex digits) is kept as it is.
 */
public final class ObjectIds {
    /** 96 bits: no two of a user's messages meet by chance. */
    private static final int DIGEST_BYTES = 12;
    private static final int MAX_LENGTH = 255;

    private ObjectIds() {}

    /** The MAILBOXID of a mailbox with this GUID. */
    public static String mailboxId(String guid) {
        return "F" + (valid(guid) && guid.length() < MAX_LENGTH ? guid : digest(guid));
    }

    /** The EMAILID of a message with this GUID: the same for a message and its copies. */
    public static String emailId(String guid) {
        return "M" + digest(guid);
    }

    /**
     * The THREADID of a message: from the root of its thread, the first ID of its References (else of its
     * In-Reply-To), else its own Message-ID, so a message and the replies that name it share one; a message
     * without any is a thread of its own, named after its EMAILID. Made from the message's content alone, so it
     * never changes and is the same for every message with the same EMAILID (§5.2).
     */
    public static String threadId(MessageStructure structure, String emailId) {
        var root = MessageIds.first(String.join(" ", structure.headerValues("References")));
        if (root == null) {
            root = MessageIds.first(structure.envelope().inReplyTo());
        }
        if (root == null) {
            root = MessageIds.first(structure.envelope().messageId());
        }
        return "T" + (root == null ? emailId.substring(1) : digest(root));
    }

    /** RFC 8474 §7: {@code objectid = 1*255(ALPHA / DIGIT / "_" / "-")}. */
    public static boolean valid(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String digest(String text) {
        try {
            var hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, DIGEST_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
