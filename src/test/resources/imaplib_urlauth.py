"""URLAUTH (RFC 4467) through Python's imaplib, which has no URLAUTH methods: GENURLAUTH, URLFETCH and RESETKEY go
through _simple_command as a client library's users send them, and the answers are read as imaplib parses them
(the GENURLAUTH data, the URLFETCH data with its literal, the tagged response code), with a ;PARTIAL= range
(URL-PARTIAL) and RFC 5524's extended URLFETCH (URLAUTH=BINARY)."""
import imaplib
import sys

host, port, password = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for name in ("GENURLAUTH", "URLFETCH", "RESETKEY"):
    imaplib.Commands[name] = ("AUTH", "SELECTED")

joe = imaplib.IMAP4(host, port)
joe.login("joe", password)
typ, data = joe.capability()
print("CAPABILITY", b"URLAUTH" in data[0].split())
rump = "imap://joe@example.com/INBOX/;uid=1/;section=1.2;urlauth=user+fred"
typ, data = joe._simple_command("GENURLAUTH", '"' + rump + '"', "INTERNAL")
urls = joe._untagged_response(typ, data, "GENURLAUTH")[1]
url = urls[0].decode()[1:-1]
print("GENURLAUTH", typ, url.startswith(rump + ":internal:01"), len(url) - len(rump + ":internal:"))

fred = imaplib.IMAP4(host, port)
fred.login("fred", password)
typ, data = fred._simple_command("URLFETCH", '"' + url + '"', '"' + url.replace("user+fred", "user+joe") + '"')
data = fred._untagged_response(typ, data, "URLFETCH")[1]
print("URLFETCH", typ, data[0][0] == ('"' + url + '" {28}').encode(), data[0][1], data[1])

ranged = rump.replace("section=1.2", "section=1.2/;partial=3.3")
typ, data = joe._simple_command("GENURLAUTH", '"' + ranged + '"', "INTERNAL")
ranged = joe._untagged_response(typ, data, "GENURLAUTH")[1][0].decode()[1:-1]
typ, data = fred._simple_command("URLFETCH", '("' + ranged + '" BINARY BODYPARTSTRUCTURE)')
print("URL-PARTIAL URLAUTH=BINARY", typ, fred._untagged_response(typ, data, "URLFETCH")[1])

typ, data = joe._simple_command("RESETKEY", "INBOX")
print("RESETKEY", typ, joe.untagged_responses.pop("URLMECH", None), data)
typ, data = fred._simple_command("URLFETCH", '"' + url + '"')
print("AFTER RESET", typ, fred._untagged_response(typ, data, "URLFETCH")[1][0] == ('"' + url + '" NIL').encode())
try:
    joe._simple_command("GENURLAUTH", '"' + rump.replace("joe@", "fred@") + '"', "INTERNAL")
except joe.error as e:
    print("BAD", e)
joe.logout()
fred.logout()
