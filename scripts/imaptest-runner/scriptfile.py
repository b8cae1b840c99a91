"""Reads test scripts in the format of Dovecot's imaptest (``src/tests/*``), written from the format's
description: a header (``key: value`` lines up to the first empty line), then command groups.

A command line is ``[conn] [tagN] [ok|no|bad|""] command``; when the expected reply is not on the
command line it follows later as ``[conn] [tagN] ok ...`` after the expected untagged responses.
Untagged lines start with ``*`` (must come), ``!`` (must not come) or ``?`` (may come). ``{{{`` at the
end of a line opens a multi-line literal closed by a line starting with ``}}}`` (``~{{{`` for a
literal8). ``!ifenv``/``!ifnenv``/``!else``/``!endif``, ``!sleep``, ``!output`` and ``!ordered`` are
directives.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

import imapwire

STATES = ["nonauth", "auth", "deleted", "created", "appended", "selected"]
MAX_CONNECTIONS = 100


class ScriptError(ValueError):
    pass


@dataclass
class Untagged:
    existence: str  # "*" must exist, "!" must not exist, "?" may exist
    args: list


@dataclass
class Command:
    linenum: int
    tag: int
    text: str
    reply: list | None


@dataclass
class Group:
    connection: int = 0
    commands: list = field(default_factory=list)
    untagged: list = field(default_factory=list)
    replies_pending: int = 0
    sleep_ms: int = 0
    outputs: list = field(default_factory=list)
    ordered: bool = False
    have_bye: bool = False
    banner_check: bool = False


@dataclass
class Script:
    name: str
    path: str
    mbox: str
    capabilities: list = field(default_factory=list)
    connections: int = 1
    ignore_extra_untagged: bool = True
    users: dict = field(default_factory=dict)
    messages: int | None = None  # None: every message of the mbox
    state: str = "selected"
    groups: list = field(default_factory=list)
    unsupported: list = field(default_factory=list)


def _reply_for(word: str):
    word_l = word.lower()
    if word_l in ("ok", "no", "bad"):
        return [imapwire.Atom(word_l)]
    if word == '""':
        return [imapwire.Atom("")]
    return None


class _Parser:
    def __init__(self, script: Script):
        self.script = script
        self.group: Group | None = None
        self.ifenv: list = []
        self.skip = False

    def header(self, line: str) -> None:
        if ":" not in line:
            raise ScriptError("missing ':' in header line")
        key, value = line.split(":", 1)
        key, value = key.strip().lower(), value.strip()
        s = self.script
        if key == "capabilities":
            s.capabilities = value.split()
        elif key == "connections":
            s.connections = int(value)
            if not 0 < s.connections <= MAX_CONNECTIONS:
                raise ScriptError("bad connection count")
        elif key == "ignore_extra_untagged":
            s.ignore_extra_untagged = value.startswith("y")
        elif key.startswith("user "):
            s.users[int(key[5:])] = value
        elif key == "messages":
            s.messages = None if value == "all" else int(value)
        elif key == "state":
            v = value.lower()
            s.state = {"nonauth": "nonauth", "auth": "deleted", "created": "created",
                       "appended": "appended", "selected": "selected"}.get(v)
            if s.state is None:
                raise ScriptError("unknown state " + value)
        else:
            raise ScriptError("unknown header " + key)

    def _untagged(self, group: Group, line: str, existence: str) -> None:
        args = imapwire.parse(line)
        reply_name = ""
        if args and isinstance(args[0], imapwire.Atom):
            reply_name = args[0].text
            if reply_name[:1] == "$" or reply_name[:1].isdigit():
                reply_name = args[1].text if len(args) > 1 and isinstance(args[1], imapwire.Atom) else ""
        add_default_directives(args, reply_name.lower())
        if reply_name.upper().startswith("BYE"):
            if existence == "*":
                group.have_bye = True
            elif existence == "?":
                raise ScriptError("? BYE not supported")
        group.untagged.append(Untagged(existence, args))

    @staticmethod
    def _split_reply(line: str):
        """Strips an optional tagN and ok/no/bad/"" from the front: (tag, reply, rest)."""
        tag = 0
        word, _, rest = line.partition(" ")
        if word[:3].lower() == "tag" and word[3:].isdigit() and int(word[3:]) > 0 and " " in line:
            tag = int(word[3:])
            line = rest
            word, _, rest = line.partition(" ")
        reply = _reply_for(word)
        if reply is not None:
            line = rest
        return tag, reply, line

    def command(self, linenum: int, line: str) -> None:
        if line.startswith("!ifenv ") or line.startswith("!ifnenv "):
            name = line.split(" ", 1)[1]
            missing = os.environ.get(name) is None
            if line.startswith("!ifnenv "):
                missing = not missing
            self.ifenv.append([self.skip, False])
            if missing:
                self.skip = True
            return
        if line == "!else":
            if not self.ifenv or self.ifenv[-1][1]:
                raise ScriptError("bad !else")
            self.ifenv[-1][1] = True
            if not self.ifenv[-1][0]:
                self.skip = not self.skip
            return
        if line == "!endif":
            if not self.ifenv:
                raise ScriptError("!endif without !ifenv")
            self.skip = self.ifenv.pop()[0]
            return
        if self.skip:
            return
        s = self.script
        group = self.group
        if group is not None:
            if line.startswith("!sleep "):
                group.sleep_ms = _interval_ms(line[7:])
                return
            if line.startswith("!output "):
                group.outputs.append(line[8:])
                return
            if line == "!ordered":
                group.ordered = True
                return
            if line[:2] in ("* ", "! ", "? "):
                self._untagged(group, line[2:], line[0])
                return
            if group.replies_pending > 0:
                no_conn = line
                conn_idx = 0
                first = line.split(" ", 1)[0]
                if s.connections > 1 and first.isdigit() and int(first) > 0:
                    conn_idx = int(first)
                    no_conn = line.split(" ", 1)[1] if " " in line else ""
                tag, reply, _ = self._split_reply(no_conn)
                if reply is not None:
                    if s.connections > 1:
                        if conn_idx == 0:
                            raise ScriptError("missing client index")
                        if conn_idx - 1 != group.connection:
                            raise ScriptError("reply for wrong connection")
                    cmd = next((c for c in group.commands if c.tag == tag), None)
                    if cmd is None:
                        raise ScriptError("reply for unknown tag")
                    if cmd.reply is not None:
                        raise ScriptError("command already has a reply")
                    args = imapwire.parse_status_tolerant(no_conn)
                    cmd.reply = args[1:] if tag else args
                    group.replies_pending -= 1
                    return
        if group is None or group.replies_pending == 0:
            group = Group()
            self.group = group
            s.groups.append(group)
        if s.connections > 1:
            first = line.split(" ", 1)[0]
            if not first.isdigit() or int(first) == 0:
                raise ScriptError("missing client index")
            idx = int(first)
            if group.commands and group.connection != idx - 1:
                raise ScriptError("all pipelined commands must use the same connection")
            group.connection = idx - 1
            s.connections = max(s.connections, idx)
            line = line.split(" ", 1)[1] if " " in line else ""
        tag, reply, line = self._split_reply(line)
        if tag == 0:
            if group.replies_pending > 0:
                raise ScriptError("missing reply from previous command group")
        elif any(c.tag == tag for c in group.commands):
            raise ScriptError("tag reused within command group")
        if not group.commands and line[:2] in ("* ", "! ", "? "):
            group.banner_check = True
            self._untagged(group, line[2:], line[0])
            return
        if reply is None:
            group.replies_pending += 1
        group.commands.append(Command(linenum, tag, line, reply))


def _interval_ms(text: str) -> int:
    text = text.strip()
    for suffix, factor in (("msecs", 1), ("ms", 1), ("secs", 1000), ("s", 1000)):
        if text.endswith(suffix):
            return int(float(text[: -len(suffix)].strip()) * factor)
    return int(text) * 1000


def add_default_directives(args: list, reply_name: str) -> None:
    """The implicit list directives of the format: LIST/LSUB flags and FLAGS are unordered sets;
    STATUS and FETCH item lists are unordered name/value pairs. Only where the script gave none."""
    for i, value in enumerate(args):
        if not isinstance(value, list) or _has_directives(value):
            continue
        if reply_name in ("list", "lsub") and i == 1:
            value.insert(0, imapwire.Atom("$!unordered"))
        elif reply_name == "status" and i == 2:
            value.insert(0, imapwire.Atom("$!unordered=2"))
        elif reply_name == "fetch" and i == 2:
            value.insert(0, imapwire.Atom("$!unordered=2"))
    if reply_name == "fetch" and len(args) > 2 and isinstance(args[2], list):
        items = args[2]
        prev = None
        for value in items:
            if isinstance(value, imapwire.Atom):
                prev = value.text.lower()
            if isinstance(value, list) and prev == "flags" and not _has_directives(value):
                for d in ("$!unordered", "$!noextra", "$!ignore=\\recent",
                          "$!ignore=$HasAttachment", "$!ignore=$HasNoAttachment"):
                    value.insert(0, imapwire.Atom(d))


def _has_directives(values: list) -> bool:
    return bool(values) and isinstance(values[0], imapwire.Atom) and values[0].text.startswith("$!")


def read_script(path: str, default_mbox: str) -> Script:
    name = os.path.basename(path)
    mbox = path + ".mbox"
    script = Script(name=name, path=path, mbox=mbox if os.path.exists(mbox) else default_mbox)
    with open(path, "rb") as f:
        raw = f.read()
    if raw and not raw.endswith(b"\n"):
        raise ScriptError("last line doesn't end with LF")
    parser = _Parser(script)
    header = True
    continues = False
    binary = False
    multiline = ""
    start_pos = 0
    last_line_end = 0
    start_linenum = 0
    lines = raw.split(b"\n")[:-1]
    for linenum, raw_line in enumerate(lines, start=1):
        crlf = raw_line.endswith(b"\r")
        line = (raw_line[:-1] if crlf else raw_line).decode("latin-1")
        if continues:
            if not line.startswith("}}}"):
                multiline += line
                last_line_end = len(multiline)
                multiline += "\n" if binary and not crlf else "\r\n"
                continue
            multiline = multiline[:last_line_end]
            rest = line[3:]
            size = len(multiline) - start_pos
            multiline = multiline[:start_pos] + ("~" if binary else "") + "{%d}\r\n" % size + multiline[start_pos:]
            if rest.endswith("{{{"):
                binary = rest.endswith("~{{{")
                multiline += rest[: -4 if binary else -3]
                start_pos = len(multiline)
                last_line_end = len(multiline)
                continue
            multiline += rest
            line = multiline
            continues = False
        else:
            start_linenum = linenum
            if line == "":
                header = False
                continue
            if line.startswith("#"):
                continue
            if line.endswith("{{{"):
                binary = line.endswith("~{{{")
                multiline = line[: -4 if binary else -3]
                start_pos = len(multiline)
                last_line_end = len(multiline)
                continues = True
                continue
        try:
            if header:
                parser.header(line)
            else:
                parser.command(start_linenum, line)
        except (ScriptError, imapwire.ParseError, ValueError, IndexError) as e:
            raise ScriptError(f"{name} line {linenum}: {e}") from e
    if continues:
        raise ScriptError(f"{name}: multiline at line {start_linenum} not ended")
    if not script.groups:
        raise ScriptError(f"{name}: no commands")
    if script.groups[-1].replies_pending:
        raise ScriptError(f"{name}: missing reply at the end")
    if parser.ifenv:
        raise ScriptError(f"{name}: !ifenv not closed")
    has_logout = any(c.text.lower() == "logout" or g.have_bye for g in script.groups for c in g.commands)
    if not has_logout:
        script.groups.append(Group(connection=0, commands=[Command(0, 0, "logout", [imapwire.Atom("ok")])]))
    if script.users:
        script.unsupported.append("per-connection users (user N: header)")
    if any(g.banner_check for g in script.groups):
        script.unsupported.append("banner checks")
    return script
