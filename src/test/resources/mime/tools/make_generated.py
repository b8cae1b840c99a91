#!/usr/bin/env python3
"""Writes seeded random MIME messages (nested multiparts, message/rfc822, digests, RFC 2231 and
odd parameters, encoded words, group/route/broken addresses, folding, bare LF) into
../generated/corpus/ for differential testing against Dovecot (fetch_expected.py ../generated).
Deterministic: same seed, same files. The output is committed."""
import random, os, base64
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "generated", "corpus")
COUNT = 120
rnd = random.Random(99)
urandom = lambda n: bytes(rnd.randrange(256) for _ in range(n))
def pick(*a): return rnd.choice(a)
def word():
    return pick("alpha","Beta","gamma-1","d.e","x_y","Zoë".encode().decode(),"=?utf-8?q?caf=C3=A9?=","=?iso-8859-1?b?SvZyZw==?=","q\"uote","a\\b","tab\there","(comm)","semi;colon","üml")
def addr():
    k = rnd.randrange(12)
    lp = pick("user","first.last","\"quoted local\"","o'neil","x+tag","a..b","")
    dom = pick("example.com","[127.0.0.1]","sub.example.org","localhost","exa mple.com","")
    name = pick("Bob","\"Smith, John\"","=?utf-8?b?w6nDqQ==?=","Dr. Who","\"\"","(comment) Al","Ünï")
    if k==0: return f"{lp}@{dom}"
    if k==1: return f"{name} <{lp}@{dom}>"
    if k==2: return f"<{lp}@{dom}>"
    if k==3: return f"{lp}@{dom} ({name})"
    if k==4: return f"{name} <@route.example,@r2.example:{lp}@{dom}>"
    if k==5: return f"{name}: {addr()}, {addr()};"
    if k==6: return f"{name}:;"
    if k==7: return f"{name} <{lp}>"
    if k==8: return f"{lp}"
    if k==9: return f"{name}"
    if k==10: return f"{name} <{lp}@{dom}"
    return f"{lp}@{dom}, {addr()}"
def fold(s):
    if rnd.random()<0.3 and " " in s:
        i=s.index(" "); return s[:i]+"\r\n"+pick(" ","\t")+s[i+1:]
    return s
def params():
    out=[]
    for _ in range(rnd.randrange(4)):
        k=rnd.randrange(8)
        n=pick("name","charset","format","title","filename","x-a","Boundary","CHARSET")
        if k==0: out.append(f'{n}="{word()}"')
        elif k==1: out.append(f"{n}={pick('v','utf-8','us-ascii','ISO-8859-1','flowed','a/b','')}")
        elif k==2: out.append(f"{n}*=utf-8'en'%C3%A9t%C3%A9%20x")
        elif k==3: out.append(f'{n}*0="part0";{n}*1="part1"')
        elif k==4: out.append(f"{n}*0*=us-ascii''a%20b;{n}*1=c%d;{n}*2*=%41")
        elif k==5: out.append(f'{n}*1="second";{n}*0="first"')
        elif k==6: out.append(f'{n}*0="a";{n}*2="c"')
        else: out.append(n+"="+pick('(c)x','=?utf-8?q?x?=','""'))
    return "".join("; "+p for p in out)
def headers(ct, top):
    h=[]
    if top:
        for f in rnd.sample(["From","To","Cc","Bcc","Sender","Reply-To"], rnd.randrange(1,5)):
            h.append(f"{f}: {fold(addr())}")
        if rnd.random()<0.8: h.append("Subject: "+fold(" ".join(word() for _ in range(rnd.randrange(0,5)))))
        if rnd.random()<0.6: h.append("Date: "+pick("Mon, 7 Feb 1994 21:52:25 -0800 (PST)","garbage date","  Tue, 1 Jan 2019 10:00:00 +0000 "))
        if rnd.random()<0.5: h.append("Message-ID: "+pick("<a@b>","<x.y@z>  ","  <folded@x>","<\"q\"@x>"))
        if rnd.random()<0.3: h.append("In-Reply-To: <p@q> (comment)")
        if rnd.random()<0.7: h.append("MIME-Version: 1.0")
    if ct: h.append("Content-Type: "+fold(ct))
    if rnd.random()<0.3: h.append("Content-Transfer-Encoding: "+pick("base64","Quoted-Printable","7BIT","8bit","x-uue","binary ","b64 junk"))
    if rnd.random()<0.3: h.append("Content-Disposition: "+pick("attachment","inline","INLINE","form-data")+params())
    if rnd.random()<0.2: h.append("Content-ID: "+pick("<cid@x>","<a\"b@c>"," <sp@x> "))
    if rnd.random()<0.2: h.append("Content-Description: "+word())
    if rnd.random()<0.15: h.append("Content-Language: "+pick("en","en-US, de","fr,  x-klingon","(c) en",""))
    if rnd.random()<0.15: h.append("Content-Location: "+pick("http://x/y","rel/path","a\r\n b"))
    if rnd.random()<0.1: h.append("Content-MD5: Q2hlY2s=")
    rnd.shuffle(h)
    return "\r\n".join(h)+"\r\n"
def body(depth):
    k = rnd.randrange(10) if depth < 4 else rnd.randrange(5)
    if k < 5:
        ct = pick("text/plain","text/html; charset=utf-8","TEXT/PLAIN","application/pdf","image/png","text","text/plain; charset=us-ascii", None, "message/delivery-status","audio/x; a=b")
        ct = (ct + params()) if ct else None
        txt = pick("", "hello\r\n", "no newline", "line1\r\nline2\r\n\r\n", "=C3=A9t=\r\n=C3=A9\r\n", base64.encodebytes(urandom(40)).decode().replace("\n","\r\n"), "--not-a-boundary\r\n")
        return ct, txt
    if k < 8:
        b = pick("b1","==x==","a","ab","b1b","long"+"x"*60, "sp ace")
        sub = pick("mixed","alternative","digest","related","Mixed")
        ct = f'multipart/{sub}; boundary="{b}"' + params()
        parts=[]
        for _ in range(rnd.randrange(0,4)):
            cct, ctxt = body(depth+1)
            if sub=="digest" and rnd.random()<0.5: cct=None
            parts.append(headers(cct, False)+"\r\n"+ctxt)
        s = pick("","preamble\r\n")
        for p in parts:
            s += "--"+b+pick('','  ','\t')+"\r\n"+p+pick("\r\n","")
        if rnd.random()<0.85: s += f"--{b}--" + pick("\r\n","","\r\nepilogue\r\n")
        return ct, s
    cct, ctxt = body(depth+1)
    return "message/rfc822"+params(), headers(cct, True)+"\r\n"+ctxt
os.makedirs(OUT, exist_ok=True)
for i in range(COUNT):
    ct, txt = body(0)
    msg = headers(ct, True) + "\r\n" + txt
    data = msg.encode("utf-8")
    if rnd.random()<0.2: data = data.replace(b"\r\n", b"\n")
    open(os.path.join(OUT, "g%03d.eml" % i), "wb").write(data)
