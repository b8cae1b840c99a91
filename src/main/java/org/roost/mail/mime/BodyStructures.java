package org.roost.mail.mime;

import java.util.ArrayList;
import java.util.List;

/** Derives {@link BodyStructure} values from parsed parts, with Dovecot's defaults. */
final class BodyStructures {
    private static final List<Param> DEFAULT_CHARSET = List.of(new Param("charset", "us-ascii"));
    /** What Dovecot reports for a multipart without any part (RFC 2046 requires at least one). */
    private static final BodyStructure EMPTY_TEXT = new BodyStructure.Single("text", "plain",
            DEFAULT_CHARSET, null, null, "7bit", 0, 0, null, null, null, null, null, null);

    private BodyStructures() {
    }

    static BodyStructure of(Part p) {
        ContentFields c = p.content;
        BodyStructure.Disposition disposition = c.disposition() == null ? null
                : new BodyStructure.Disposition(c.disposition(), c.dispositionParams());
        if (p.isMultipart()) {
            List<BodyStructure> children = new ArrayList<>();
            for (Part child : p.children) {
                children.add(of(child));
            }
            if (children.isEmpty()) {
                children.add(EMPTY_TEXT);
            }
            return new BodyStructure.Multi(List.copyOf(children), c.subtype(), c.params(), disposition,
                    c.language(), c.location());
        }
        String type;
        String subtype;
        boolean text;
        if (p.isMessageRfc822()) {
            type = "message";
            subtype = "rfc822";
            text = false;
        } else if (p.flattened || c.isType("multipart")) {
            // nested too deep, or "multipart" without a subtype: not parsed as a multipart
            type = "application";
            subtype = "octet-stream";
            text = false;
        } else if (c.type() == null) {
            type = "text";
            subtype = "plain";
            text = true;
        } else {
            type = c.type();
            subtype = c.subtypeOrEmpty();
            text = c.isType("text");
        }
        List<Param> params = c.params();
        if (text && c.charset() == null) {
            params = new ArrayList<>(params);
            params.addAll(DEFAULT_CHARSET);
            params = List.copyOf(params);
        }
        Envelope envelope = null;
        BodyStructure body = null;
        if (p.isMessageRfc822()) {
            envelope = p.message.envelope;
            body = of(p.message);
        }
        return new BodyStructure.Single(type, subtype, params, c.id(), c.description(),
                c.encoding() == null ? "7bit" : c.encoding(), p.bodySize(),
                text || p.isMessageRfc822() ? p.lines : -1, c.md5(), disposition, c.language(),
                c.location(), envelope, body);
    }

    /**
     * Dovecot writes a fixed lowercase BODYSTRUCTURE for a top-level text/plain us-ascii 7bit part
     * with nothing else set; clients see e.g. "text" "plain" even for TEXT/PLAIN.
     */
    static boolean isPlain7bit(Part root) {
        ContentFields c = root.content;
        if (root.isMultipart() || root.isMessageRfc822() || root.flattened || !c.isText()) {
            return false;
        }
        if (c.type() != null && !"plain".equalsIgnoreCase(c.subtype())) {
            return false;
        }
        if (!c.params().isEmpty() && (c.params().size() != 1
                || !c.params().get(0).name().equalsIgnoreCase("charset")
                || !c.params().get(0).value().equalsIgnoreCase("us-ascii"))) {
            return false;
        }
        return c.id() == null && c.description() == null
                && (c.encoding() == null || c.encoding().equalsIgnoreCase("7bit"))
                && c.md5() == null && c.disposition() == null && c.language() == null && c.location() == null;
    }

    static BodyStructure plain7bit(Part root) {
        return new BodyStructure.Single("text", "plain", DEFAULT_CHARSET, null, null, "7bit",
                root.bodySize(), root.lines, null, null, null, null, null, null);
    }
}
