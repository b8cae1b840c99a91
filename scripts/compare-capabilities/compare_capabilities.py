#!/usr/bin/env python3
"""Asks Debian's Dovecot and Roost, both started privately on loopback with the same features configured,
for their CAPABILITY before and after login, and writes docs/capabilities.md: both lists side by side,
what each side lacks and why. See README.md. Needs root (Dovecot runs as a private instance)."""
import argparse, imaplib, os, shutil, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "compare-dovecot"))
import compare  # noqa: E402  the private Dovecot and Roost of compare-dovecot, with their user and ports

# The features Roost has, configured in Dovecot too: quota (imap_quota), NOTIFY (notify), COMPRESS (imap_zlib),
# full-text search (fts with the squat backend, the one Debian ships in dovecot-core), METADATA (a file dict),
# the special-use folders with Dovecot's usual names, URLAUTH (imap_urlauth_host: URLs naming any host are
# honoured, as Roost honours them). imap_acl stays off: Roost has no ACLs.
SPECIAL_USE = ["Drafts", "Sent", "Trash", "Junk", "Archive"]
DOVECOT_FEATURES = """auth_mechanisms = plain login
mail_plugins = quota notify zlib fts fts_squat
mail_attribute_dict = file:%h/dovecot-attributes
imap_metadata = yes
imap_urlauth_host = *
namespace inbox {
  inbox = yes
""" + "".join("  mailbox %s {\n    special_use = \\%s\n    auto = subscribe\n  }\n" % (m, m) for m in SPECIAL_USE) + """}
protocol imap {
  mail_plugins = $mail_plugins imap_quota imap_zlib
}
plugin {
  quota = maildir:User quota
  quota_rule = *:storage=1G
  fts = squat
}
"""
ROOST_FEATURES = "quota: {storage: 1G}\n"

# Why a capability is on one side only. Reviewed by hand: a name missing here is reported as "not explained",
# which is the cue to look at it and add a line.
WHY = {
    "IMAP4rev2": "Dovecot 2.3 does not speak IMAP4rev2 (2.4 has it behind `imap4rev2_enable`). Roost advertises it "
                 "once every extension RFC 9051 folds in is offered (see docs/imap4rev2.md).",
    "STARTTLS": "Dovecot runs here with `ssl = no`. Roost offers STARTTLS whenever it has a certificate and "
                "makes a self-signed one when none is configured.",
    "LOGINDISABLED": "Only before login, where plaintext is not allowed.",
    "AUTH=LOGIN": "Both offer it when configured.",
    "LITERAL-": "RFC 7888 §5: a server advertises LITERAL+ or LITERAL-, never both. Roost advertises LITERAL+, the "
                "superset.",
    "UIDONLY": "RFC 9586, newer than Dovecot 2.3.",
    "OBJECTID": "RFC 8474: Dovecot 2.3 does not advertise it (its GUIDs are not exposed over IMAP).",
    "PARTIAL": "RFC 9394, newer than Dovecot 2.3.",
    "QUOTA=RES-STORAGE": "RFC 9208 quota resources; Dovecot 2.3 speaks RFC 2087's QUOTA only.",
    "QUOTA=RES-MESSAGE": "RFC 9208 quota resources; Dovecot 2.3 speaks RFC 2087's QUOTA only.",
    "REPLACE": "RFC 8508: Dovecot 2.3 does not have it.",
    "UNAUTHENTICATE": "RFC 8437: Dovecot 2.3 does not have it.",
    "UTF8=ACCEPT": "RFC 6855: Dovecot 2.3 does not have it.",
    "CONTEXT=SORT": "RFC 5267 §4: Dovecot 2.3 advertises CONTEXT=SEARCH, not CONTEXT=SORT.",
    "APPENDLIMIT=": "RFC 7889: Roost says how large an APPEND may be (`limits.maxLiteralSize`, and the quota); "
                    "Dovecot 2.3 does not advertise it in this configuration.",
    "SEARCH=FUZZY": "RFC 6203: Roost answers FUZZY from its own full-text index, with RELEVANCY scores; Dovecot's "
                    "fts plugin advertises it only with a backend that scores (Solr, Lucene), not with squat here.",
    "ACL": "RFC 4314 (Roost's issue 19), over Dovecot's dovecot-acl files; this comparison runs Dovecot without "
           "`imap_acl`, which would advertise it too.",
    "RIGHTS=texk": "RFC 4314 §2.1.1, with ACL (above).",
    "SNIPPET=FUZZY": "Dovecot's draft name for PREVIEW (RFC 8970).",
    "IMAPSIEVE=": "Dovecot's imap_sieve plugin (RFC 6785), not configured in either.",
    "THREAD=REFS": "Dovecot's THREAD=REFS (draft-ietf-morg-inthread); issue 15.",
    "URL-PARTIAL": "RFC 5550, with URLAUTH/CATENATE (issue 16 item 4).",
    "CATENATE": "RFC 4469, issue 16 item 4.",
    "URLAUTH": "RFC 4467, issue 16 item 4.",
    "URLAUTH=BINARY": "RFC 5524's extended URLFETCH (BODYPARTSTRUCTURE, BINARY, BODY metadata items).",
    "MULTIAPPEND": "RFC 3502, issue 16 item 4.",
    "LIST-EXTENDED": "RFC 5258, issue 16 item 2.",
    "LIST-STATUS": "RFC 5819, issue 16 item 2.",
    "SPECIAL-USE": "RFC 6154, issue 16 item 2.",
    "CREATE-SPECIAL-USE": "RFC 6154, issue 16 item 2.",
    "STATUS=SIZE": "RFC 8438, issue 16 item 2.",
    "BINARY": "RFC 3516, issue 16 item 3.",
    "PREVIEW": "RFC 8970, issue 16 item 3.",
    "PREVIEW=FUZZY": "Dovecot's name for PREVIEW with its own summary algorithm (RFC 8970 §4.1).",
    "SAVEDATE": "RFC 8514, issue 16 item 3.",
    "COMPRESS=DEFLATE": "RFC 4978, issue 16 item 5.",
    "METADATA": "RFC 5464, issue 16 item 6.",
    "METADATA-SERVER": "RFC 5464, issue 16 item 6.",
}


# What issue 16 asks beyond Dovecot's list.
DONE_WHEN_TOO = ["IMAP4rev2", "UIDONLY", "OBJECTID"]
# Capabilities both list whose behaviour differs, reviewed by hand (the table above only compares names).
SAME_NAME_NOTES = [
    "- `I18NLEVEL=1` (RFC 5255): SEARCH's string keys compare with i;unicode-casemap (RFC 5051), which RFC 5255",
    "  §4.6 applies \"instead of\" RFC 3501's case-insensitive match: titlecased, NFKD-decomposed, then octet",
    "  by octet, so case does not count and diacritics do (`KÖLN` finds `Köln`, `koln` does not). Nothing in",
    "  RFC 3501, RFC 9051 or RFC 5255 allows a fuzzier match for full-text-backed BODY/TEXT (only RFC 6203's",
    "  FUZZY key does), so Roost's index folds as its matcher does and gives the same answers. Asked side by",
    "  side (UID SEARCH CHARSET UTF-8: SUBJECT `koln`/`KÖLN`, BODY `zoe`/`ZOË`/`ǄEMAL`/`DZEMAL`/`fine`/`ﬁNE`",
    "  over `Grüße aus Köln` and `Zoë ǆemal ﬁne`), Dovecot and Roost give the same answers. Left: a text",
    "  part whose bytes are not valid in its charset is matched with the bad bytes replaced (U+FFFD), not",
    "  octet by octet as RFC 5255 §4.6 (c) describes.",
    "- `LOGIN-REFERRALS` (RFC 2221): both take Dovecot's passdb fields `host`, `port`, `destuser`, `reason`",
    "  (with `nologin`: `NO [REFERRAL ...]`; without: `OK [REFERRAL ...]`); see docs/configuration.md.",
]


def capabilities(port):
    """(before login, after login, the server's greeting) as CAPABILITY lists them, in the server's order."""
    imap = imaplib.IMAP4("127.0.0.1", port)
    greeting = imap.welcome.decode("ascii", "replace")
    before = imap.capability()[1][0].decode("ascii").split()
    imap.login(compare.USER, compare.PASSWORD)
    after = imap.capability()[1][0].decode("ascii").split()
    imap.logout()
    return before, after, greeting


def version(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def table(dovecot, roost, roost_later=()):
    """Rows for two lists; roost_later: what Roost lists after login, to explain the list before login."""
    names = list(dict.fromkeys(dovecot + roost))
    names.sort(key=lambda n: (n not in dovecot, n not in roost, n.upper()))
    rows = ["| capability | Dovecot | Roost | why they differ |", "|---|:---:|:---:|---|"]
    for name in names:
        d, r = name in dovecot, name in roost
        if d and not r and name in roost_later:
            why = ("Roost lists it once logged in, where the command can be used (RFC 3501 §7.2.1 lets a server "
                   "list capabilities by state); Dovecot lists it in every state.")
        else:
            # a capability with a value (APPENDLIMIT=n) is explained under its name up to the "="
            why = "" if d == r else WHY.get(name, WHY.get(name.split("=")[0] + "=", "not explained yet"))
        rows.append("| `%s` | %s | %s | %s |" % (name, "yes" if d else "—", "yes" if r else "—", why))
    return rows


def lacks(side, other, names):
    missing = [n for n in other if n not in names]
    return "%s lacks %s." % (side, ", ".join("`%s`" % n for n in missing) if missing else "nothing the other has")


def write_doc(path, dovecot, roost, dovecot_version, roost_commit):
    d_before, d_after, _ = dovecot
    r_before, r_after, _ = roost
    out = [
        "# Capabilities: Roost beside Dovecot",
        "",
        "Generated by `scripts/compare-capabilities/compare_capabilities.py` (do not edit by hand: rerun it).",
        "Both servers run privately on loopback with the same features configured: quota (1 GiB), NOTIFY,",
        "COMPRESS (Dovecot's `imap_zlib`), full-text search (Dovecot's `fts_squat`), METADATA (a file dict),",
        "the special-use folders with Dovecot's usual names, URLAUTH (Dovecot's `imap_urlauth_host = *`);",
        "no ACLs (`imap_acl` off), no TLS on the",
        "Dovecot side (`ssl = no`, plain text login on loopback).",
        "",
        "- Dovecot: `%s`" % dovecot_version,
        "- Roost: commit `%s`" % roost_commit,
        "",
        "## After login",
        "",
        lacks("Roost", d_after, r_after),
        lacks("Dovecot", r_after, d_after),
        "",
    ]
    out += table(d_after, r_after)
    required = [n for n in d_after if n not in r_after] + [n for n in DONE_WHEN_TOO if n not in r_after]
    out += ["", "## Issue 16's \"done when\"", "",
            "After login Roost should list at least what Dovecot lists, plus %s." % ", ".join(
                "`%s`" % n for n in DONE_WHEN_TOO),
            "Still missing at this commit: %s." % (", ".join("`%s`" % n for n in required) if required else "nothing")]
    out += ["", "## Where the same name means different behaviour", ""] + SAME_NAME_NOTES
    out += ["", "## Before login", ""]
    out += table(d_before, r_before, r_after)
    out += ["", "## As each server lists them", "",
            "- Dovecot before login: `%s`" % " ".join(d_before),
            "- Dovecot after login: `%s`" % " ".join(d_after),
            "- Roost before login: `%s`" % " ".join(r_before),
            "- Roost after login: `%s`" % " ".join(r_after), ""]
    with open(path, "w") as f:
        f.write("\n".join(out))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--work", help="work directory (kept); default: a fresh temp dir, removed after")
    ap.add_argument("--roost-home", default=compare.ROOT, help="a Roost checkout with target/roost.jar built")
    ap.add_argument("--out", default=os.path.join(compare.ROOT, "docs", "capabilities.md"))
    args = ap.parse_args()
    work = compare.prepare(args.roost_home, args.work, "roost-capabilities-")
    empty = os.path.join(work, "empty-maildir")
    os.makedirs(empty)
    d_port, d_stop = compare.start_dovecot(work, empty, DOVECOT_FEATURES)
    r_port, r_stop = compare.start_roost(work, empty, args.roost_home, ROOST_FEATURES)
    try:
        compare.wait_for(d_port)
        compare.wait_for(r_port)
        dovecot = capabilities(d_port)
        roost = capabilities(r_port)
    finally:
        d_stop()
        r_stop()
    # a build unpacked with `git archive` has no history: it was made from this checkout's HEAD
    checkout = args.roost_home if os.path.exists(os.path.join(args.roost_home, ".git")) else compare.ROOT
    commit = version(["git", "-C", checkout, "describe", "--always", "--dirty"])
    write_doc(args.out, dovecot, roost, version(["/usr/sbin/dovecot", "--version"]), commit)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    print("Dovecot after login: " + " ".join(dovecot[1]))
    print("Roost after login:   " + " ".join(roost[1]))
    print("written: " + args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
