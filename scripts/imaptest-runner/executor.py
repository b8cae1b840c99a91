"""Runs one parsed script against a server and judges the responses.

Matching follows the format's rules: values are compared case-insensitively; ``$name`` binds a
variable on first use and must equal it afterwards; ``$`` alone matches anything (a whole list
too); ``$]`` skips to the end of a response code; ``$N`` is the current sequence number of the
message that had sequence N when the command group started; lists carry ``$!unordered[=n]``,
``$!noextra``, ``$!extra``, ``$!ignore=x`` and ``$!ban=x`` directives. Status responses (OK, NO,
BAD, BYE) match as a prefix: human-readable text after the expected part is ignored.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

import imapwire
from imapwire import NIL, Atom, Str
from scriptfile import Script

FULL = 1 << 30
STATE_ORDER = ["nonauth", "auth", "deleted", "created", "appended", "selected"]


class TestFailure(Exception):
    pass


@dataclass
class Result:
    name: str
    status: str  # pass, fail, skipped, unsupported, error
    groups: int = 0
    failed_groups: int = 0
    messages: list = field(default_factory=list)
    extension: bool = False


class MboxSource:
    """Messages of an mbox file, cycled like the suite's source: each message is the lines after
    its From_ line, re-terminated with CRLF; its INTERNALDATE comes from the From_ line."""

    FROM_LINE = re.compile(r"^From \S+\s+(\w{3}) (\w{3})\s+(\d+) (\d\d:\d\d:\d\d) (\d{4})(?: ([+-]\d{4}))?\s*$")

    def __init__(self, path: str):
        with open(path, "rb") as f:
            data = f.read().decode("latin-1")
        self.messages = []
        current = None
        date = None
        for raw in data.split("\n")[:-1] if data.endswith("\n") else data.split("\n"):
            line = raw[:-1] if raw.endswith("\r") else raw
            m = self.FROM_LINE.match(line)
            if m and (current is None or current):
                if current is not None:
                    self.messages.append((date, "".join(current)))
                _, mon, day, hms, year, tz = m.groups()
                date = f"{int(day):02d}-{mon}-{year} {hms} {tz or '+0000'}"
                current = []
                continue
            if current is None:
                raise ValueError(f"{path}: not an mbox file")
            current.append(line + "\r\n")
        if current:
            self.messages.append((date, "".join(current)))
        self.next = 0

    def eof(self) -> bool:
        return self.next >= len(self.messages)

    def take(self) -> tuple[str, str]:
        if self.next >= len(self.messages):
            self.next = 0
        message = self.messages[self.next]
        self.next += 1
        return message


class Client:
    def __init__(self, index: int, host: str, port: int, timeout: float):
        self.index = index
        self.conn = imapwire.Connection(host, port, timeout)
        self.exists = 0
        self.next_tag = 1
        self.capabilities: set[str] = set()
        self.seen_bye = False

    def new_tag(self) -> str:
        tag = f"{self.index + 1}.{self.next_tag}"
        self.next_tag += 1
        return tag

    def track(self, args: list) -> None:
        """Keeps the message count the server has told this connection."""
        if len(args) >= 2 and isinstance(args[0], Atom) and isinstance(args[1], Atom):
            word = args[1].text.upper()
            if args[0].text.isdigit():
                if word == "EXISTS":
                    self.exists = int(args[0].text)
                elif word == "EXPUNGE":
                    self.exists = max(0, self.exists - 1)
        if args and isinstance(args[0], Atom):
            word = args[0].text.upper()
            if word == "BYE":
                self.seen_bye = True
            if word == "CAPABILITY":
                self.capabilities = {a.text.upper() for a in args[1:] if isinstance(a, Atom)}
            if word == "OK" and len(args) > 1 and isinstance(args[1], Atom) and args[1].text.upper() == "[CAPABILITY":
                self.capabilities = {a.text.upper().rstrip("]") for a in args[2:] if isinstance(a, Atom)}

    def read(self) -> tuple[str | None, list, str]:
        """(tag or None for untagged, '+' for continuation; parsed args; raw text)."""
        text = self.conn.read_response()
        if text.startswith("+"):
            return "+", [], text
        tag, _, rest = text.partition(" ")
        args = imapwire.parse_status_tolerant(rest)
        if tag == "*":
            self.track(args)
            return None, args, text
        return tag, args, text

    def simple(self, command: str) -> tuple[list, list]:
        """Sends a command with no literal and returns (untagged list, tagged args)."""
        tag = self.new_tag()
        self.conn.send(f"{tag} {command}\r\n")
        untagged = []
        while True:
            t, args, _ = self.read()
            if t is None:
                untagged.append(args)
            elif t == tag:
                return untagged, args

    def append_literal(self, prefix: str, body: str, on_untagged=None) -> tuple[str, list]:
        """APPEND with a synchronizing literal; returns (tag, tagged args)."""
        tag = self.new_tag()
        self.conn.send(f"{tag} {prefix} {{{len(body.encode('latin-1'))}}}\r\n")
        while True:
            t, args, _ = self.read()
            if t == "+":
                break
            if t is None:
                if on_untagged:
                    on_untagged(args)
                continue
            if t == tag:
                return tag, args
        self.conn.send(body.encode("latin-1") + b"\r\n")
        return tag, None


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Execution:
    def __init__(self, script: Script, host: str, port: int, user: str, password: str,
                 mailbox: str, timeout: float, verbose: bool):
        self.script = script
        self.host, self.port = host, port
        self.user, self.password = user, password
        self.mailbox = mailbox
        self.timeout = timeout
        self.verbose = verbose
        self.vars: dict[str, str] = {}
        self.added: list[str] = []
        self.seqmap: list[int] = []
        self.recent_owner: dict[str, int] = {}
        self.clients: list[Client] = []
        self.result = Result(script.name, "pass", extension=bool(script.capabilities))
        self.source = MboxSource(script.mbox)

    # ----- variables and matching -------------------------------------------------------------

    def relative_seq(self, n: int) -> str:
        if n == 0:
            return "<zero seq>"
        if n > len(self.seqmap):
            return "<out of range>"
        if self.seqmap[n - 1] == 0:
            return "<expunged>"
        return str(self.seqmap[n - 1])

    @staticmethod
    def _var_name(s: str, i: int) -> tuple[str, int] | None:
        if i < len(s) and s[i] == "{":
            end = s.find("}", i + 1)
            if end < 0:
                return None
            return s[i + 1:end], end + 1
        j = i
        while j < len(s) and (s[j].isalnum() or s[j] == "_"):
            j += 1
        return s[i:j], j

    def expand_command(self, line: str) -> str:
        out = []
        i = 0
        while i < len(line):
            c = line[i]
            if c != "$" or i + 1 == len(line):
                out.append(c)
                i += 1
                continue
            i += 1
            if line[i] == "$":
                out.append("$")
                i += 1
                continue
            parsed = self._var_name(line, i)
            if parsed is None:
                raise TestFailure("missing '}'")
            name, i = parsed
            if name.isdigit():
                out.append(self.relative_seq(int(name)))
            elif name in self.vars:
                out.append(self.vars[name])
            else:
                raise TestFailure("uninitialized variable: " + name)
        return "".join(out)

    def expand_input(self, pattern: str, text: str) -> tuple[str | None, bool]:
        icase = True
        out = []
        p = 0
        t = 0
        while p < len(pattern):
            c = pattern[p]
            if c != "$" or (p + 1 < len(pattern) and pattern[p + 1] == "$"):
                if c == "$":
                    p += 1
                    c = pattern[p]
                if t >= len(text) or c.upper() != text[t].upper():
                    return None, icase
                t += 1
                out.append(c)
                p += 1
                continue
            p += 1
            parsed = self._var_name(pattern, p)
            if parsed is None:
                return "", icase
            name, p = parsed
            if name.isdigit():
                value = self.relative_seq(int(name))
            elif name.startswith("case:"):
                icase = False
                value = name[5:]
            else:
                value = self.vars.get(name) if name else None
                if value is None:
                    rest = pattern[p:]
                    if rest.startswith("$") and not rest.startswith("$$"):
                        rest_expanded, _ = self.expand_input(rest, text[t:])
                        rest = rest_expanded or ""
                    elif rest.startswith("$$"):
                        rest = rest[1:]
                    stop = rest[:1]
                    end = t
                    while end < len(text) and (not stop or text[end].upper() != stop.upper()):
                        end += 1
                    value = text[t:end]
                    if name:
                        self.vars[name] = value
                        self.added.append(name)
            out.append(value)
            if text[t:t + len(value)] != value:
                return None, icase
            t += len(value)
        return "".join(out), icase

    def match_args(self, match: list, args: list, limit: int, prefix: bool) -> int:
        ret = 0
        mi = ai = 0
        while mi < len(match) and limit > 0:
            m = match[mi]
            a = args[ai] if ai < len(args) else None
            if m is NIL:
                if a is not NIL:
                    return ret
            elif isinstance(m, (Atom, Str)):
                if m.text == "$" and isinstance(a, list):
                    pass
                elif m.text == "$]":
                    while isinstance(a, Atom) and "]" not in a.text:
                        ai += 1
                        a = args[ai] if ai < len(args) else None
                else:
                    actual = imapwire.as_string(a)
                    if actual is None:
                        return ret
                    expanded, icase = self.expand_input(m.text, actual)
                    if expanded is None:
                        return ret
                    last = mi == len(match) - 1
                    if prefix and last:
                        a_cmp, e_cmp = (actual.lower(), expanded.lower()) if icase else (actual, expanded)
                        if not a_cmp.startswith(e_cmp):
                            return ret
                    else:
                        equal = actual.lower() == expanded.lower() if icase else actual == expanded
                        if not equal:
                            return ret
            elif isinstance(m, list):
                if not isinstance(a, list):
                    return ret
                sub = self.match_list(m, a)
                if sub != FULL:
                    return ret + sub
            ret += 1
            mi += 1
            ai += 1
            limit -= 1
        if prefix or ai >= len(args) or limit == 0:
            return FULL
        return ret

    def match_list(self, match: list, args: list) -> int:
        unordered = False
        chain = 1
        noextra = -1
        ignores, bans = [], []
        i = 0
        while i < len(match) and isinstance(match[i], Atom) and match[i].text.startswith("$!"):
            d = match[i].text[2:]
            if d.startswith("unordered"):
                unordered = True
                if noextra == -1:
                    noextra = 0
                if d.startswith("unordered="):
                    chain = int(d[10:])
            elif d == "ordered":
                unordered = False
            elif d == "extra":
                noextra = 0
            elif d == "noextra":
                noextra = 1
            elif d.startswith("ignore="):
                ignores.append(d[7:].lower())
            elif d.startswith("ban="):
                bans.append(d[4:].lower())
            else:
                raise TestFailure("unknown directive " + d)
            i += 1
        if noextra == -1:
            noextra = 1
        match = match[i:]
        if not unordered:
            return self.match_args(match, args, FULL, False)
        if len(args) % chain != 0:
            return 0
        matched = [False] * len(args)
        ret = 0
        for j in range(0, len(match), chain):
            for k in range(0, len(args), chain):
                if self.match_args(match[j:j + chain], args[k:], chain, False) == FULL:
                    matched[k] = True
                    break
            else:
                return ret
            ret += 1
        for k in range(0, len(args), chain):
            if matched[k]:
                continue
            text = imapwire.as_string(args[k])
            if text is None:
                continue
            if noextra > 0 and text.lower() not in ignores:
                return ret
            if noextra <= 0 and text.lower() in bans:
                return ret
        return FULL

    # ----- running --------------------------------------------------------------------------------

    def fail(self, message: str) -> None:
        self.result.status = "fail"
        self.result.messages.append(message)

    def run(self) -> Result:
        s = self.script
        if s.unsupported:
            self.result.status = "unsupported"
            self.result.messages.append("uses " + ", ".join(s.unsupported))
            return self.result
        try:
            if not self.startup():
                return self.result
            for index, group in enumerate(s.groups):
                self.result.groups += 1
                before = len(self.result.messages)
                self.run_group(index, group)
                if len(self.result.messages) > before:
                    self.result.failed_groups += 1
                if any(c.conn.closed for c in self.clients) and index + 1 < len(s.groups):
                    closed = [c for c in self.clients if c.conn.closed]
                    if not group.have_bye:
                        self.fail("connection closed unexpectedly")
                        break
                    if any(g.connection == closed[0].index for g in s.groups[index + 1:]):
                        break
        except (OSError, EOFError) as e:
            self.fail(f"connection error: {e}")
            self.result.failed_groups += 1
        except TestFailure as e:
            self.fail(str(e))
            self.result.failed_groups += 1
        finally:
            for c in self.clients:
                c.conn.close()
        return self.result

    def startup(self) -> bool:
        s = self.script
        for i in range(s.connections):
            client = Client(i, self.host, self.port, self.timeout)
            client.read()  # greeting
            self.clients.append(client)
        self.vars.update({"user": self.user, "username": self.user.split("@")[0],
                          "domain": self.user.split("@")[1] if "@" in self.user else self.host,
                          "password": self.password, "mailbox": self.mailbox,
                          "mailbox_url": self.mailbox})
        target = STATE_ORDER.index(s.state)
        if target == 0:
            _, tagged = self.clients[0].simple("CAPABILITY")
            return self.check_capabilities(self.clients[0])
        for client in self.clients:
            _, tagged = client.simple(f"LOGIN {quote(self.user)} {quote(self.password)}")
            if not _is(tagged, "OK"):
                raise TestFailure("LOGIN failed: " + imapwire.args_text(tagged))
        first = self.clients[0]
        first.simple("CAPABILITY")
        if not self.check_capabilities(first):
            return False
        # state auth: remove what earlier runs left
        listed = []
        subscribed = []
        untagged, _ = first.simple(f"LIST \"\" {quote(self.mailbox + '*')}")
        listed += [imapwire.as_string(u[3]) for u in untagged if _word(u, 0) == "LIST" and len(u) > 3]
        untagged, _ = first.simple(f"LSUB \"\" {quote(self.mailbox + '*')}")
        subscribed += [imapwire.as_string(u[3]) for u in untagged if _word(u, 0) == "LSUB" and len(u) > 3]
        for name in sorted(set(listed), key=str.lower, reverse=True):
            first.simple("DELETE " + quote(name))
        for name in sorted(set(subscribed), key=str.lower, reverse=True):
            first.simple("UNSUBSCRIBE " + quote(name))
        if target >= STATE_ORDER.index("created") and self.mailbox.upper() != "INBOX":
            _, tagged = first.simple("CREATE " + quote(self.mailbox))
            if not _is(tagged, "OK"):
                raise TestFailure("CREATE failed: " + imapwire.args_text(tagged))
        if target >= STATE_ORDER.index("appended"):
            count = 0
            while (s.messages is None and not self.source.eof()) or (s.messages is not None and count < s.messages):
                date, body = self.source.take()
                tag, tagged = first.append_literal(f"APPEND {quote(self.mailbox)} \"{date}\"", body)
                while tagged is None:
                    t, args, _ = first.read()
                    if t == tag:
                        tagged = args
                if not _is(tagged, "OK"):
                    raise TestFailure("APPEND failed: " + imapwire.args_text(tagged))
                count += 1
        if target >= STATE_ORDER.index("selected"):
            for client in self.clients:
                _, tagged = client.simple("SELECT " + quote(self.mailbox))
                if not _is(tagged, "OK"):
                    raise TestFailure("SELECT failed: " + imapwire.args_text(tagged))
        return True

    def check_capabilities(self, client: Client) -> bool:
        missing = [c for c in self.script.capabilities if c.upper() not in client.capabilities]
        if missing:
            self.result.status = "skipped"
            self.result.messages.append("server lacks " + " ".join(missing))
            return False
        return True

    def run_group(self, index: int, group) -> None:
        client = self.clients[group.connection]
        self.seqmap = list(range(1, client.exists + 1))
        found = [False] * len(group.untagged)
        state = {"mismatches": 0, "first_extra": None, "best": {}}
        pending: dict[str, object] = {}
        first_tag = None

        def on_untagged(args: list) -> None:
            self.handle_untagged(group, args, found, state, first_tag)
            self.check_recent(client, args)
            if len(args) >= 2 and _word(args, 1) == "EXPUNGE" and isinstance(args[0], Atom) and args[0].text.isdigit():
                self.expunge(int(args[0].text))

        for cmd in group.commands:
            line = self.expand_command(cmd.text)
            tag = self.send_command(client, line, on_untagged, pending, cmd)
            if first_tag is None:
                first_tag = tag
        while pending:
            try:
                t, args, raw = client.read()
            except EOFError:
                if group.have_bye and client.seen_bye:
                    for cmd in pending.values():
                        if not (len(cmd.reply) == 1 and isinstance(cmd.reply[0], Atom) and cmd.reply[0].text == ""):
                            self.fail(f"group {index + 1}: only \"\" may be expected when BYE happens")
                    pending.clear()
                    break
                raise
            if t is None:
                on_untagged(args)
            elif t == "+":
                continue
            elif t in pending:
                cmd = pending.pop(t)
                self.vars["tag"] = t
                ok = self.match_args(cmd.reply, args, FULL, True) == FULL
                self.vars.pop("tag", None)
                if not ok:
                    self.fail(f"group {index + 1} (line {cmd.linenum}) `{cmd.text}`: expected tagged "
                              f"'{imapwire.args_text(cmd.reply)}', got '{imapwire.args_text(args)}'")
            else:
                self.fail(f"unexpected tag {t}")
        for i, ut in enumerate(group.untagged):
            if ut.existence == "*" and not found[i]:
                line = group.commands[0].linenum if group.commands else 0
                self.fail(f"group {index + 1} (line {line}) `{group.commands[0].text if group.commands else ''}`: "
                          f"missing untagged '{imapwire.args_text(ut.args)}'; "
                          f"best match: {state['best'].get(i, ('', ''))[1]}")
                break
        if state["first_extra"] is not None:
            self.fail(f"group {index + 1}: {state['mismatches']} unexpected untagged replies, first: {state['first_extra']}")
        for output in group.outputs:
            print(self.expand_command(output))
        if group.sleep_ms:
            time.sleep(group.sleep_ms / 1000)

    def send_command(self, client: Client, line: str, on_untagged, pending: dict, cmd) -> str:
        lower = line.lower()
        if lower == "append":
            date, body = self.source.take()
            tag, tagged = client.append_literal(f"APPEND {quote(self.mailbox)} \"{date}\"", body, on_untagged)
        elif lower.startswith("append ") and not _has_literal(line):
            _, body = self.source.take()
            tag, tagged = client.append_literal("APPEND " + line[7:], body, on_untagged)
        else:
            tag = client.new_tag()
            tagged = self.send_with_literals(client, f"{tag} {line}", tag, on_untagged)
        if tagged is None:
            pending[tag] = cmd
        else:
            self.vars["tag"] = tag
            if self.match_args(cmd.reply, tagged, FULL, True) != FULL:
                self.fail(f"`{cmd.text}`: expected tagged '{imapwire.args_text(cmd.reply)}', got '{imapwire.args_text(tagged)}'")
            self.vars.pop("tag", None)
        return tag

    @staticmethod
    def send_with_literals(client: Client, text: str, tag: str, on_untagged):
        """Sends a command whose text may hold {n}CRLF literals, waiting for '+' before the data of
        each synchronizing one. Returns the tagged reply if the server answered early, else None."""
        pos = 0
        for m in re.finditer(r"~?\{(\d+)(\+?)\}\r\n", text):
            if m.start() < pos:
                continue  # inside an earlier literal's data
            client.conn.send(text[pos:m.end()])
            pos = m.end()
            if m.group(2) != "+":
                while True:
                    t, args, _ = client.read()
                    if t == "+":
                        break
                    if t is None:
                        on_untagged(args)
                    elif t == tag:
                        return args
            end = pos + int(m.group(1))
            client.conn.send(text[pos:end])
            pos = end
        client.conn.send(text[pos:] + "\r\n")
        return None

    def handle_untagged(self, group, args: list, found: list, state: dict, first_tag) -> None:
        if not group.untagged:
            if not self.script.ignore_extra_untagged:
                state["mismatches"] += 1
                if state["first_extra"] is None:
                    state["first_extra"] = imapwire.args_text(args)
            return
        prefix = _word(args, 0) in ("OK", "NO", "BAD", "BYE")
        found_some = False
        self.added = []
        for i, ut in enumerate(group.untagged):
            if found[i]:
                continue
            if first_tag is not None:
                self.vars["tag"] = first_tag
            count = self.match_args(ut.args, args, FULL, prefix)
            self.vars.pop("tag", None)
            if count == FULL:
                if ut.existence == "!":
                    self.fail(f"unexpected untagged match: expected none like '{imapwire.args_text(ut.args)}', "
                              f"got '{imapwire.args_text(args)}'")
                    return
                found[i] = True
                found_some = True
                self.added = []
                if group.ordered:
                    break
                continue
            best = state["best"].get(i)
            if best is None or best[0] < count:
                state["best"][i] = (count, imapwire.args_text(args))
            for name in self.added:
                self.vars.pop(name, None)
            self.added = []
            if group.ordered and ut.existence == "*":
                break
        if not found_some:
            state["mismatches"] += 1
            if not self.script.ignore_extra_untagged and state["first_extra"] is None:
                state["first_extra"] = imapwire.args_text(args)

    def check_recent(self, client: Client, args: list) -> None:
        """A message is \\Recent in one session only (RFC 3501 §2.3.2), as imaptest's state tracking
        checks; seen when a FETCH gives both UID and FLAGS."""
        if len(args) < 3 or _word(args, 1) != "FETCH" or not isinstance(args[2], list):
            return
        items = args[2]
        pairs = {imapwire.as_string(items[i]).upper(): items[i + 1]
                 for i in range(0, len(items) - 1, 2) if imapwire.as_string(items[i])}
        uid, flags = pairs.get("UID"), pairs.get("FLAGS")
        if not isinstance(uid, Atom) or not isinstance(flags, list):
            return
        if any(isinstance(f, Atom) and f.text.lower() == "\\recent" for f in flags):
            owner = self.recent_owner.setdefault(uid.text, client.index)
            if owner != client.index:
                self.fail(f"UID {uid.text} is \\Recent in connections {owner + 1} and {client.index + 1}")

    def expunge(self, seq: int) -> None:
        if seq > len(self.seqmap):
            return
        for i in range(seq - 1, len(self.seqmap)):
            if self.seqmap[i] >= seq:
                self.seqmap[i] = 0 if self.seqmap[i] == seq else self.seqmap[i] - 1


def _has_literal(line: str) -> bool:
    return re.search(r"~?\{\d+\+?\}\r\n", line) is not None


def _word(args: list, i: int) -> str:
    return args[i].text.upper() if len(args) > i and isinstance(args[i], Atom) else ""


def _is(args: list, word: str) -> bool:
    return _word(args, 0) == word
