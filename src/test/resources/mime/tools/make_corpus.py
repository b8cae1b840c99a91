#!/usr/bin/env python3
"""Writes the MIME test corpus (raw bytes, some deliberately broken) into ../corpus/.

Run once; the output is committed. Line ends are CRLF unless a message says otherwise
(bare-LF messages test the CrlfInputStream normalisation)."""
import os, base64

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "corpus")

def crlf(s):
    if isinstance(s, str):
        s = s.encode("utf-8")
    return s.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")

M = {}

M["01-plain"] = crlf("""Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)
From: Fred Foobar <foobar@Blurdybloop.COM>
Subject: afternoon meeting
To: mooch@owatagu.siam.edu
Message-Id: <B27397-0100000@Blurdybloop.COM>
MIME-Version: 1.0
Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

Hello Joe, do you think we can meet at 3:30 tomorrow?
""")

M["02-alternative"] = crlf("""From: "Alice Example" <alice@example.org>
To: Bob <bob@example.net>, carol@example.com
Cc: "Dave, Jr." <dave@example.com>
Subject: alternative
Date: Tue, 1 Jan 2019 10:00:00 +0000
Message-ID: <alt@example.org>
In-Reply-To: <prev@example.org>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="b1"

This is a preamble.
--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Caf=C3=A9 au lait
second line
--b1
Content-Type: text/html; charset=utf-8

<p>Caf\u00e9</p>
--b1--
epilogue here
""")

att = base64.encodebytes(bytes(range(256)) * 3).decode()
M["03-mixed-attachments"] = crlf("""From: sender@example.com
To: rcpt@example.com
Subject: files
Date: Wed, 2 Jan 2019 11:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="==outer=="

--==outer==
Content-Type: text/plain

See attached.
--==outer==
Content-Type: application/octet-stream; name="data.bin"
Content-Transfer-Encoding: base64
Content-Disposition: attachment; filename="data.bin"; size=768
Content-ID: <part2@example.com>
Content-Description: some binary
Content-Language: en, de
Content-Location: http://example.com/data.bin
Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==

""" + att + """--==outer==
Content-Type: image/png
Content-Transfer-Encoding: BASE64
Content-Disposition: inline

iVBORw0KGgo=
--==outer==--
""")

M["04-nested-rfc822"] = crlf("""From: outer@example.com
To: a@example.com
Subject: Fwd: inner
Date: Thu, 3 Jan 2019 12:00:00 -0500
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=XX

--XX
Content-Type: text/plain; charset=us-ascii

forwarding
--XX
Content-Type: message/rfc822
Content-Disposition: inline

From: inner@example.com
To: b@example.com
Subject: inner
Date: Thu, 3 Jan 2019 11:00:00 -0500
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary=YY

--YY
Content-Type: text/plain

inner text
--YY
Content-Type: text/enriched

<bold>inner</bold>
--YY--

--XX--
""")

M["05-rfc2231"] = crlf("""From: x@example.com
Subject: rfc2231
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="q"

--q
Content-Type: application/x-stuff;
 title*0*=us-ascii'en'This%20is%20even%20more%20;
 title*1*=%2A%2A%2Afun%2A%2A%2A%20;
 title*2="isn't it!"
Content-Disposition: attachment;
 filename*=UTF-8''na%C3%AFve%20file.txt

stuff
--q
Content-Type: text/plain; name*0="long"; name*1="name.txt"; charset="iso-8859-1"
Content-Disposition: attachment; filename*0="a"; filename*1="b.txt"

text
--q--
""")

M["06-missing-headers"] = crlf("""X-Nothing: here

no date, from or subject
""")

M["07-duplicate-headers"] = crlf("""From: first@example.com
From: second@example.com
Subject: first subject
Subject: second subject
To: t1@example.com
To: t2@example.com
Date: Fri, 4 Jan 2019 00:00:00 +0000
Date: Sat, 5 Jan 2019 00:00:00 +0000
Message-ID: <one@x>
Message-ID: <two@x>
Content-Type: text/plain; charset=us-ascii
Content-Type: text/html

dup
""")

M["08-8bit-headers"] = b"From: J\xc3\xbcrgen <juergen@example.de>\r\nSubject: Gr\xfc\xdfe aus K\xf6ln\r\nTo: \xe4\xf6\xfc <x@y.z>\r\nContent-Type: text/plain; charset=iso-8859-1\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGr\xfc\xdfe\r\n"

M["09-malformed-headers"] = crlf("""From: <broken@@example.com
To: "unterminated <a@b>, plain, @nohost, user@, <>
Subject
: no name
Content-Type: text/; charset
Cc: ,,, ;
Reply-To: (comment only)
Date: not a date

malformed
""")

M["10-encoded-words"] = crlf("""From: =?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>
To: =?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>
Cc: =?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>
Subject: =?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=
 =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

""" + base64.encodebytes("Grüße aus München, straße STRASSE\n".encode()).decode())

M["11-group-addresses"] = crlf("""From: Some One <one@example.com>
To: undisclosed-recipients:;
Cc: Friends: a@example.com, "B B" <b@example.com>;, c@example.com
Bcc: Empty Group:;, Team: (nobody);
Subject: groups

groups
""")

M["12-bare-lf"] = (b"From: lf@example.com\nSubject: bare LF\nContent-Type: multipart/mixed; boundary=lf\n\n"
                   b"--lf\nContent-Type: text/plain\n\nline one\nline two\n--lf\nContent-Type: text/plain\n\nx\r\nmixed CRLF\n--lf--\n")

def deep(n):
    head = "From: deep@example.com\nSubject: deep\nContent-Type: multipart/mixed; boundary=d0\n\n"
    body = ""
    for i in range(1, n):
        body += "--d%d\nContent-Type: multipart/mixed; boundary=d%d\n\n" % (i - 1, i)
    body += "--d%d\nContent-Type: text/plain\n\nbottom\n" % (n - 1)
    for i in range(n - 1, -1, -1):
        body += "--d%d--\n" % i
    return crlf(head + body)

M["13-deep-nesting"] = deep(12)
M["14-very-deep-nesting"] = deep(120)

M["15-missing-final-boundary"] = crlf("""From: mfb@example.com
Subject: no final boundary
Content-Type: multipart/mixed; boundary="zz"

--zz
Content-Type: text/plain

first
--zz
Content-Type: text/plain

second and then EOF
""")

M["16-nul-bytes"] = b"From: nul@example.com\r\nSubject: has\x00nul\r\nContent-Type: text/plain\r\n\r\nbinary\x00body\x00\r\nend\r\n"

M["17-huge-header-line"] = crlf("From: huge@example.com\nSubject: " + ("x" * 100000) + "\nX-Long: " + ("y " * 40000) + "\n\nshort body\n")

M["18-digest"] = crlf("""From: digest@example.com
Subject: digest
Content-Type: multipart/digest; boundary="dg"

--dg

From: d1@example.com
Subject: first in digest

digest one
--dg
Content-Type: text/plain

not a message
--dg--
""")

M["19-no-body"] = crlf("""From: nobody@example.com
Subject: headers only""")

M["20-empty-multipart"] = crlf("""From: e@example.com
Subject: empty multipart
Content-Type: multipart/mixed; boundary="never"

no boundary ever appears
""")

M["21-multipart-no-boundary-param"] = crlf("""From: e@example.com
Subject: no boundary param
Content-Type: multipart/mixed

--x
body
""")

M["22-rfc822-attachment-headers-only"] = crlf("""From: r@example.com
Subject: rfc822 bare
Content-Type: message/rfc822

Subject: inner only
From: Inner <inner@example.com>
Reply-To: reply@example.com
Sender: sender@example.com

inner body
""")

M["23-params-quirks"] = crlf("""From: p@example.com
Subject: params
Content-Type: Text/HTML; CharSet="UTF-8"; Format=Flowed; empty=""; quoted="a\\"b"
Content-Transfer-Encoding: Quoted-Printable
Content-Disposition: INLINE; FileName=x.html
Content-Language: EN-us

<b>=E2=82=AC</b>=
 soft
""")

M["24-folded-subject"] = crlf("""From: (comment) "Quoted \\" Name" <q@example.com> (trailing)
Sender: route <@a.example,@b.example:user@example.com>
To: "a@b" <x@example.com>, Bob Plain <bob@example.com>
Subject: this is
 a folded
\tsubject line
Date:   Sun, 6 Jan 2019 00:00:00 +0000
Message-ID:
 <folded@example.com>
In-Reply-To: <a@b> <c@d>
Content-Type: text/plain;
 charset="us-ascii"

folded
""")

M["25-transport-padding"] = crlf("""From: tp@example.com
Subject: padding
Content-Type: multipart/mixed; boundary="pad"

--pad   
Content-Type: text/plain

one
--padding-is-not-the-boundary
--pad\t
Content-Type: text/plain

two
--pad--   
trailing
""")

M["26-nested-boundary-prefix"] = crlf("""From: nb@example.com
Subject: boundary prefix
Content-Type: multipart/mixed; boundary="a"

--a
Content-Type: multipart/alternative; boundary="ab"

--ab
Content-Type: text/plain

inner
--ab--
--a
Content-Type: text/plain

outer
--a--
""")

M["27-no-trailing-newline"] = b"From: nt@example.com\r\nSubject: no newline\r\n\r\nlast line without newline"

M["28-message-global-and-types"] = crlf("""From: t@example.com
Subject: types
Content-Type: multipart/related; type="text/html"; boundary=r

--r
Content-Type: audio/basic
Content-Transfer-Encoding: base64

AAAA
--r
Content-Type: message/delivery-status

Reporting-MTA: dns; example.com
--r
Content-Type: message/rfc822; name=x
Content-Transfer-Encoding: 7bit

Subject: inner text part

hello
--r
Content-Type: text

typeless text
--r--
""")

for name, data in M.items():
    with open(os.path.join(OUT, name + ".eml"), "wb") as f:
        f.write(data)
print(len(M), "messages")
