package org.roost.imap.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.roost.fts.FullTextOptions;
import org.roost.fts.FullTextSearch;
import org.roost.imap.protocol.SearchKey;
import org.roost.index.IndexCache;
import org.roost.index.IndexOptions;
import org.roost.index.MailboxState;
import org.roost.index.MailboxView;
import org.roost.mail.UidSet;
import org.roost.net.Cancellation;
import org.roost.storage.MailLocation;
import org.roost.storage.maildir.MaildirDriver;
import org.roost.storage.maildir.MaildirOptions;

/**
 * BODY and TEXT find words in attachments (PDF, DOCX and ODT made here with PDFBox, POI and a zip by
 * hand), by substring as in text parts; hostile attachments (a zip bomb, a PDF nested beyond any stack,
 * 100 MB of text) are skipped with a log line, and neither indexing nor searching stalls on them.
 */
@Timeout(120)
class AttachmentSearchTest {
    @TempDir
    Path root;
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Logger tikaLog = Logger.getLogger("org.roost.fts.TikaAttachments");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(java.text.MessageFormat.format(record.getMessage(), record.getParameters()));
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private MailboxState state;
    private FullTextSearch fts;

    @BeforeEach
    void mailbox() throws IOException {
        tikaLog.addHandler(capture);
        var cache = new IndexCache(new MaildirDriver(MailLocation.parse("maildir:" + root + "/mail/%u"),
                MaildirOptions.defaults().withFsync(false)), new IndexOptions(true, false, 1 << 24));
        state = cache.open("u", "INBOX");
        fts = new FullTextSearch(FullTextOptions.defaults(root.resolve("fts")), cache);
    }

    @AfterEach
    void close() throws IOException {
        fts.close();
        tikaLog.removeHandler(capture);
    }

    @Test
    void findsWordsInDocuments() throws Exception {
        append(withAttachment("plain words", "application/pdf", "report.pdf", pdf("Quarterly zeppelin figures")));
        append(withAttachment("plain words", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "notes.docx", docx("Aubergine casserole for Jörg")));
        append(withAttachment("plain words", "application/vnd.oasis.opendocument.text", "minutes.odt",
                odt("Marmalade committee minutes")));
        append(withAttachment("plain words", "text/html", "page.html",
                "<html><body><p>Gazpacho &amp; bread</p></body></html>".getBytes(StandardCharsets.UTF_8)));
        fts.awaitIdle();
        assertFound(new SearchKey.Body("ZEPPELIN"), 1);
        assertFound(new SearchKey.Body("ubergine casse"), 2);
        assertFound(new SearchKey.Text("J\u00d6RG"), 2);
        assertFound(new SearchKey.Text("jorg")); // i;unicode-casemap (RFC 5051): the diaeresis counts
        assertFound(new SearchKey.Body("marmalade committee"), 3);
        assertFound(new SearchKey.Body("plain words"), 1, 2, 3, 4);
        assertFound(new SearchKey.Body("no such words"));
    }

    @Test
    void skipsHostileAttachmentsWithoutStalling() throws Exception {
        append(withAttachment("bomb ahead", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "bomb.docx", zipBomb()));
        append(withAttachment("nested ahead", "application/pdf", "nested.pdf", nestedPdf(200_000)));
        append(withAttachment("huge ahead", "application/octet-stream", "huge.txt", hugeText(100 << 20)));
        append(withAttachment("fine after", "application/pdf", "fine.pdf", pdf("Zeppelin after the storm")));
        fts.awaitIdle();
        assertFound(new SearchKey.Body("ahead"), 1, 2, 3);
        assertFound(new SearchKey.Body("zeppelin"), 4);
        assertFound(new SearchKey.Body("aaaaaaaaaa"));
        for (var skipped : List.of("wordprocessingml.document skipped", "pdf skipped", "octet-stream skipped")) {
            assertTrue(log.stream().anyMatch(l -> l.contains(skipped)), skipped + " in " + log);
        }
    }

    /** SORT and THREAD search as SEARCH does: the word in the PDF finds its message for all three. */
    @Test
    void sortAndThreadFindWhatSearchFinds(@TempDir Path serverDir) throws Exception {
        try (var server = org.roost.testing.TestServer.start(serverDir)) {
            server.deliver(org.roost.testing.TestServer.ALICE, withAttachment("plain words", "application/pdf",
                    "report.pdf", pdf("Quarterly zeppelin figures")));
            server.deliver(org.roost.testing.TestServer.ALICE, withAttachment("other words", "text/plain", "a.txt",
                    "nothing here".getBytes(StandardCharsets.US_ASCII)));
            try (var client = org.roost.testing.RawImapClient.connect("127.0.0.1", server.imapPort())) {
                client.greeting();
                client.tagged("a", "LOGIN " + org.roost.testing.TestServer.ALICE + " \""
                        + org.roost.testing.TestServer.ALICE_PASSWORD + "\"");
                client.tagged("b", "SELECT INBOX");
                assertTrue(client.command("c", "SEARCH BODY zeppelin").contains("* SEARCH 1"));
                assertTrue(client.command("d", "SORT (ARRIVAL) UTF-8 BODY zeppelin").contains("* SORT 1"));
                assertTrue(client.command("e", "THREAD ORDEREDSUBJECT UTF-8 BODY zeppelin").contains("* THREAD (1)"));
            }
        }
    }

    /** The index and the scan, both reading attachments, find exactly {@code seqs}. */
    private void assertFound(SearchKey key, int... seqs) throws IOException {
        var view = new MailboxView(state, true);
        try {
            assertArrayEquals(seqs, SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(), fts),
                    key.toString());
            assertArrayEquals(seqs, SearchCommand.matching(view, key, UidSet.empty(), Cancellation.never(),
                    TextCandidates.NONE, fts.attachments()), key.toString());
        } finally {
            view.close();
        }
    }

    private void append(byte[] message) throws IOException {
        state.append(new ByteArrayInputStream(message), Set.of(), Set.of(), Instant.now());
    }

    private static byte[] withAttachment(String text, String type, String name, byte[] content) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(("From: a@example.org\r\nSubject: s\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
                + text + "\r\n--b\r\nContent-Type: " + type + "; name=\"" + name + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + name + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(Base64.getMimeEncoder().encode(content));
        out.writeBytes("\r\n--b--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] pdf(String text) throws IOException {
        try (var document = new PDDocument(); var out = new ByteArrayOutputStream()) {
            var page = new PDPage();
            document.addPage(page);
            try (var content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(72, 700);
                content.showText(text);
                content.endText();
            }
            document.save(out);
            return out.toByteArray();
        }
    }

    private static byte[] docx(String text) throws IOException {
        try (var document = new XWPFDocument(); var out = new ByteArrayOutputStream()) {
            document.createParagraph().createRun().setText(text);
            document.write(out);
            return out.toByteArray();
        }
    }

    /** The least of an OpenDocument text: the stored mimetype first, the content, the manifest. */
    private static byte[] odt(String text) throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            byte[] mimetype = "application/vnd.oasis.opendocument.text".getBytes(StandardCharsets.US_ASCII);
            var entry = new ZipEntry("mimetype");
            entry.setMethod(ZipEntry.STORED);
            entry.setSize(mimetype.length);
            var crc = new java.util.zip.CRC32();
            crc.update(mimetype);
            entry.setCrc(crc.getValue());
            zip.putNextEntry(entry);
            zip.write(mimetype);
            zip.putNextEntry(new ZipEntry("content.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content"
                    + " xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\""
                    + " xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\" office:version=\"1.2\">"
                    + "<office:body><office:text><text:p>" + text + "</text:p></office:text></office:body>"
                    + "</office:document-content>").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("META-INF/manifest.xml"));
            zip.write(("<?xml version=\"1.0\" encoding=\"UTF-8\"?><manifest:manifest"
                    + " xmlns:manifest=\"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0\">"
                    + "<manifest:file-entry manifest:full-path=\"/\" manifest:media-type=\"application/vnd.oasis.opendocument.text\"/>"
                    + "<manifest:file-entry manifest:full-path=\"content.xml\" manifest:media-type=\"text/xml\"/>"
                    + "</manifest:manifest>").getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    /** A DOCX whose document is 1 GiB of one letter, deflated to about a megabyte. */
    private static byte[] zipBomb() throws IOException {
        var out = new ByteArrayOutputStream();
        try (var zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("[Content_Types].xml"));
            zip.write(("<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                    + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument"
                    + ".wordprocessingml.document.main+xml\"/></Types>").getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("word/document.xml"));
            zip.write("<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>"
                    .getBytes(StandardCharsets.UTF_8));
            byte[] block = new byte[1 << 20];
            java.util.Arrays.fill(block, (byte) 'a');
            for (int i = 0; i < 1024; i++) {
                zip.write(block);
            }
        }
        return out.toByteArray();
    }

    /** A PDF whose one object is an array nested {@code depth} deep. */
    private static byte[] nestedPdf(int depth) {
        var body = "[".repeat(depth) + "]".repeat(depth);
        var pdf = "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R /Nested " + body + " >>\nendobj\n"
                + "2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
        return pdf.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] hugeText(int bytes) {
        var text = new byte[bytes];
        java.util.Arrays.fill(text, (byte) 'a');
        return text;
    }
}
