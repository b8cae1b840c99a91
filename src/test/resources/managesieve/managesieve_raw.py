"""A raw-socket ManageSieve client (RFC 5804) for what client programs hide: pipelining after a one-round
AUTHENTICATE with an initial response (section 2), a SCRAM-SHA-256 exchange through challenges and responses
with the server's final message checked, and literals sent without and with the "+".

Usage: managesieve_raw.py PORT USER PASSWORD. Prints one "ok <check>" or "FAIL <check>: <detail>" per check."""
import base64, hashlib, hmac, os, re, socket, ssl, sys

port, user, password = int(sys.argv[1]), sys.argv[2], sys.argv[3]
context = ssl.create_default_context()
context.check_hostname = False
context.verify_mode = ssl.CERT_NONE


class Client:
    def __init__(self):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=20)
        self.file = self.sock.makefile("rb")
        self.response()

    def starttls(self):
        self.send(b"STARTTLS\r\n")
        assert self.response()[-1].startswith(b"OK"), "STARTTLS refused"
        self.sock = context.wrap_socket(self.sock, server_hostname="localhost")
        self.file = self.sock.makefile("rb")
        self.response()

    def send(self, data):
        self.sock.sendall(data)

    def line(self):
        """One line, a literal at its end inlined."""
        line = self.file.readline()
        while True:
            match = re.search(rb"\{(\d+)\}\r\n$", line)
            if not match:
                return line.rstrip(b"\r\n")
            line = line[:match.start()] + self.file.read(int(match.group(1))) + self.file.readline()

    def response(self):
        lines = []
        while True:
            lines.append(self.line())
            if re.match(rb"(?i)(OK|NO|BYE)\b", lines[-1]):
                return lines


def quoted(data):
    return b'"' + data + b'"'


def check(name, condition, detail=""):
    print(("ok " + name) if condition else ("FAIL " + name + ": " + str(detail)), flush=True)


def pipelined():
    client = Client()
    client.starttls()
    plain = base64.b64encode(b"\0" + user.encode() + b"\0" + password.encode())
    script = b'require "fileinto";\r\nfileinto "Archive";\r\n'
    client.send(b'AUTHENTICATE "PLAIN" ' + quoted(plain) + b"\r\n"
                + b'PUTSCRIPT "piped" {%d+}\r\n' % len(script) + script + b"\r\n"
                + b'SETACTIVE "piped"\r\nLISTSCRIPTS\r\nGETSCRIPT {5}\r\npiped\r\nLOGOUT\r\n')
    answers = [client.response() for _ in range(6)]
    check("pipelined AUTHENTICATE with an initial response, then commands",
          [a[-1][:2] for a in answers] == [b"OK"] * 6, answers)
    check("LISTSCRIPTS marks the active script", answers[3][:-1] == [b'"piped" ACTIVE'], answers[3])
    check("GETSCRIPT returns the octets stored", answers[4][0] == script.rstrip(b"\r\n") or answers[4][0] == script,
          answers[4])
    check("the server closes after LOGOUT", client.file.read(1) == b"")


def scram():
    client = Client()
    client.starttls()
    nonce = base64.b64encode(os.urandom(18))
    first_bare = b"n=" + user.encode() + b",r=" + nonce
    client.send(b'AUTHENTICATE "SCRAM-SHA-256" ' + quoted(base64.b64encode(b"n,," + first_bare)) + b"\r\n")
    server_first = base64.b64decode(client.line().strip(b'"'))
    fields = dict(f.split(b"=", 1) for f in server_first.split(b","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(fields[b"s"]), int(fields[b"i"]))
    final_bare = b"c=biws,r=" + fields[b"r"]
    message = first_bare + b"," + server_first + b"," + final_bare
    client_key = hmac.new(salted, b"Client Key", hashlib.sha256).digest()
    signature = hmac.new(hashlib.sha256(client_key).digest(), message, hashlib.sha256).digest()
    proof = bytes(a ^ b for a, b in zip(client_key, signature))
    final = base64.b64encode(final_bare + b",p=" + base64.b64encode(proof))
    client.send(b"{%d+}\r\n" % len(final) + final + b"\r\n")
    server_final = base64.b64decode(client.line().strip(b'"'))
    server_key = hmac.new(salted, b"Server Key", hashlib.sha256).digest()
    expected = b"v=" + base64.b64encode(hmac.new(server_key, message, hashlib.sha256).digest())
    check("SCRAM-SHA-256: the server proves it knows the password", server_final == expected, server_final)
    client.send(b'""\r\n')
    answer = client.response()
    check("SCRAM-SHA-256: an empty response to the final message logs in", answer == [b'OK "Logged in."'], answer)


pipelined()
scram()
