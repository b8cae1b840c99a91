package org.roost.testing;

/** What the standard server advertises, written once so that every test compares against the same text. */
public final class ImapCapabilities {
    /**
     * {@code capability-data} after login (RFC 3501 §7.2.1), in ImapCommands.standard's order, for mail that keeps
     * GUIDs (Maildir; an mbox user gets no OBJECTID).
     */
    public static final String AFTER_LOGIN = "IMAP4rev1 LITERAL+ SASL-IR ID IMAP4rev2 ENABLE CONDSTORE QRESYNC IDLE NAMESPACE UIDPLUS UNSELECT MOVE CHILDREN ESEARCH SEARCHRES WITHIN QUOTA QUOTA=RES-STORAGE QUOTA=RES-MESSAGE SORT SORT=DISPLAY ESORT CONTEXT=SORT THREAD=ORDEREDSUBJECT THREAD=REFERENCES THREAD=REFS NOTIFY REPLACE PARTIAL CONTEXT=SEARCH UIDONLY LIST-EXTENDED LIST-STATUS SPECIAL-USE CREATE-SPECIAL-USE STATUS=SIZE MULTIAPPEND APPENDLIMIT=67108864 METADATA METADATA-SERVER BINARY UNAUTHENTICATE OBJECTID SAVEDATE PREVIEW CATENATE COMPRESS=DEFLATE";

    private ImapCapabilities() {}
}
