"""Drives Roost with Python's poplib (the standard library's POP3 client) for Pop3PoplibInteropTest.

usage: poplib_client.py {stls|pop3s} PORT CAFILE USER PASSWORD
Prints one line per step; the Java test compares them.
"""
import poplib
import ssl
import sys

mode, port, cafile, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
context = ssl.create_default_context(cafile=cafile)
if mode == "stls":
    p = poplib.POP3("127.0.0.1", port, timeout=20)
    print("capa-before", sorted(p.capa().keys()))
    try:
        p.user(user)
        print("user-before-tls accepted")
    except poplib.error_proto as e:
        print("user-before-tls", e.args[0].decode())
    p.stls(context)
else:
    p = poplib.POP3_SSL("127.0.0.1", port, context=context, timeout=20)
print("capa", sorted(p.capa().keys()))
p.user(user)
print("pass", p.pass_(password).decode())
print("stat", p.stat())
resp, listing, _ = p.list()
print("list", [line.decode() for line in listing])
resp, uidls, _ = p.uidl()
print("uidl-count", len(uidls))
resp, lines, octets = p.retr(1)
print("retr", [line.decode() for line in lines], octets)
resp, lines, _ = p.top(1, 0)
print("top", [line.decode() for line in lines])
print("dele", p.dele(1).decode())
print("rset", p.rset().decode())
print("dele", p.dele(2).decode())
print("quit", p.quit().decode())
