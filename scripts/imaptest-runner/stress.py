#!/usr/bin/env python3
"""Concurrency stress check in the spirit of imaptest's stress mode.

Several clients SELECT one mailbox and do random APPEND / STORE / EXPUNGE / FETCH / NOOP for a
while. Each client keeps the state the server told it (EXISTS, EXPUNGE, FETCH UID and FLAGS) and
checks, as it goes:

- every sequence number in an untagged FETCH or EXPUNGE is within the count it was told;
- EXISTS never shrinks without EXPUNGEs; no EXPUNGE arrives during FETCH, STORE or SEARCH
  (RFC 3501 §7.4.1);
- a sequence number keeps its UID, UIDs ascend with sequence numbers, and a UID once expunged
  never comes back (no UID reuse);
- the FLAGS answered to its own STORE show the change it asked for;
- ``\\Recent`` is given to one session only (RFC 3501 §2.3.2);
- SEARCH answers only sequence numbers within the count it was told;
- a message's BODY[] is the same bytes in every session at every read;
- now and then a client drops its connection in the middle of a command and reconnects.

Every ``--checkpoint`` seconds all clients stop, NOOP, and then each FETCHes 1:* (UID FLAGS):
what it was told must equal what it now reads (flags as last reported), and all clients must
agree with each other. Exit status 1 on any violation.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import imapwire  # noqa: E402
from imapwire import Atom  # noqa: E402

SYSTEM_FLAGS = ["\\Seen", "\\Answered", "\\Flagged", "\\Draft"]
KEYWORDS = ["$Label1", "$Label2", "Junk"]


class Violation(Exception):
    pass


class StressClient:
    def __init__(self, index: int, args, shared):
        self.index = index
        self.args = args
        self.shared = shared
        self.rng = random.Random(args.seed * 1000 + index)
        self.conn = imapwire.Connection(args.host, args.port, timeout=30)
        self.tag_no = 0
        self.uids: list[int | None] = []  # by sequence number - 1
        self.flags: list[frozenset | None] = []
        self.in_command = ""
        self.flags_in_command: dict[int, list] = {}  # FLAGS that came during this command, by sequence
        self.expunged: set[int] = set()  # UIDs this session was told are gone
        self.errors: list[str] = []
        self.ops = 0

    # ----- protocol --------------------------------------------------------------------------

    def command(self, text: str, literal: str | None = None) -> list:
        self.tag_no += 1
        tag = f"c{self.index}.{self.tag_no}"
        self.in_command = text.split(" ", 1)[0].upper()
        self.flags_in_command = {}
        if literal is None:
            self.conn.send(f"{tag} {text}\r\n")
        else:
            self.conn.send(f"{tag} {text} {{{len(literal)}+}}\r\n")
            self.conn.send(literal + "\r\n")
        replies = []
        while True:
            line = self.conn.read_response()
            if line.startswith("+"):
                continue
            t, _, rest = line.partition(" ")
            args = imapwire.parse_status_tolerant(rest)
            if t == "*":
                self.untagged(args)
                replies.append(args)
            elif t == tag:
                self.in_command = ""
                status = args[0].text.upper() if args and isinstance(args[0], Atom) else ""
                code = args[1].text.upper() if len(args) > 1 and isinstance(args[1], Atom) else ""
                if status == "NO" and code.startswith("[EXPUNGEISSUED"):
                    return replies  # a message this session still shows was expunged by another one
                if status != "OK":
                    raise Violation(f"{text!r} failed: {imapwire.args_text(args)}")
                return replies

    def fail(self, message: str) -> None:
        self.errors.append(f"client {self.index}: {message}")

    def untagged(self, args: list) -> None:
        if len(args) < 2 or not isinstance(args[0], Atom) or not args[0].text.isdigit() or not isinstance(args[1], Atom):
            return
        n = int(args[0].text)
        word = args[1].text.upper()
        if word == "EXISTS":
            if n < len(self.uids):
                self.fail(f"EXISTS {n} below the {len(self.uids)} messages known, without EXPUNGE")
            while len(self.uids) < n:
                self.uids.append(None)
                self.flags.append(None)
        elif word == "EXPUNGE":
            if self.in_command in ("FETCH", "STORE", "SEARCH"):
                self.fail(f"EXPUNGE {n} sent during {self.in_command} (RFC 3501 §7.4.1)")
            if not 1 <= n <= len(self.uids):
                self.fail(f"EXPUNGE {n} out of range 1..{len(self.uids)}")
                return
            uid = self.uids.pop(n - 1)
            self.flags.pop(n - 1)
            if uid is not None:
                self.expunged.add(uid)
                with self.shared.lock:
                    self.shared.expunged.add(uid)
            # sequences after n moved down by one
            self.flags_in_command = {s - 1 if s > n else s: v for s, v in self.flags_in_command.items() if s != n}
        elif word == "FETCH" and len(args) > 2 and isinstance(args[2], list):
            if not 1 <= n <= len(self.uids):
                self.fail(f"FETCH {n} out of range 1..{len(self.uids)}")
                return
            items = args[2]
            for i in range(0, len(items) - 1, 2):
                name = imapwire.as_string(items[i]) or ""
                value = items[i + 1]
                if name.upper() == "UID":
                    uid = int(value.text)
                    known = self.uids[n - 1]
                    if known is not None and known != uid:
                        self.fail(f"sequence {n} changed UID {known} -> {uid}")
                    if uid in self.expunged:
                        self.fail(f"UID {uid} reappeared after this session was told it was expunged")
                    self.uids[n - 1] = uid
                    self.check_order(n)
                elif name.upper() == "FLAGS" and isinstance(value, list):
                    flags = frozenset(f.text for f in value if isinstance(f, Atom))
                    if "\\Recent" in flags and self.uids[n - 1] is not None:
                        self.note_recent(self.uids[n - 1])
                    self.flags[n - 1] = frozenset(f for f in flags if f != "\\Recent")
                    self.flags_in_command.setdefault(n, []).append(self.flags[n - 1])
                elif name.upper().startswith("BODY[HEADER.FIELDS") and isinstance(value, imapwire.Str):
                    self.note_message_id(n, value.text.strip())
                elif name.upper() == "BODY[]" and isinstance(value, imapwire.Str):
                    self.note_body(n, value.text)

    def note_message_id(self, n: int, header: str) -> None:
        """A UID names one message for the life of the mailbox (RFC 3501 §2.3.1.1): never reused."""
        uid = self.uids[n - 1]
        if uid is None or not header:
            return
        with self.shared.lock:
            first = self.shared.message_ids.setdefault(uid, header)
        if first != header:
            self.fail(f"UID {uid} reused: was '{first}', now '{header}'")

    def note_body(self, n: int, body: str) -> None:
        """A message's bytes never change, whichever session reads them, whenever."""
        uid = self.uids[n - 1]
        if uid is None:
            return
        with self.shared.lock:
            first = self.shared.bodies.setdefault(uid, body)
        if first != body:
            self.fail(f"UID {uid}: BODY[] differs between reads: {first[:60]!r} vs {body[:60]!r}")

    def connect(self) -> None:
        """A new connection with a fresh state: told nothing yet, SELECT tells it again."""
        self.conn = imapwire.Connection(self.args.host, self.args.port, timeout=30)
        self.uids, self.flags, self.expunged = [], [], set()
        self.conn.read_response()
        self.command(f"LOGIN {self.args.user} {self.args.password}")
        self.command(f"SELECT {self.args.mailbox}")

    def check_order(self, n: int) -> None:
        uid = self.uids[n - 1]
        before = next((u for u in reversed(self.uids[: n - 1]) if u is not None), None)
        after = next((u for u in self.uids[n:] if u is not None), None)
        if (before is not None and before >= uid) or (after is not None and after <= uid):
            self.fail(f"UIDs not ascending around sequence {n}: {before} {uid} {after}")

    def note_recent(self, uid: int) -> None:
        with self.shared.lock:
            owner = self.shared.recent.setdefault(uid, self.index)
        if owner != self.index:
            self.fail(f"UID {uid} is \\Recent in sessions {owner} and {self.index}")

    # ----- random operations -----------------------------------------------------------------

    def random_set(self) -> str | None:
        count = len(self.uids)
        if count == 0:
            return None
        a = self.rng.randint(1, count)
        b = min(count, a + self.rng.randint(0, 3))
        return f"{a}:{b}" if b > a else str(a)

    def random_flags(self) -> list[str]:
        pool = SYSTEM_FLAGS + KEYWORDS
        return self.rng.sample(pool, self.rng.randint(1, 3))

    def step(self) -> None:
        op = self.rng.choices(["append", "store", "expunge", "fetch", "body", "search", "noop", "disconnect"],
                              [3, 5, 1, 4, 2, 2, 2, 0.2])[0]
        if op == "append":
            body = (f"From: stress{self.index}@example.org\r\nSubject: op {self.ops}\r\n"
                    f"Message-ID: <{self.index}.{self.ops}@stress>\r\n\r\nbody {self.rng.random()}\r\n")
            flags = " ".join(self.rng.sample(SYSTEM_FLAGS, self.rng.randint(0, 2)))
            self.command(f"APPEND {self.args.mailbox} ({flags})", body)
        elif op == "store":
            seqs = self.random_set()
            if seqs is None:
                return
            mode = self.rng.choice(["+", "-", ""])
            flags = self.random_flags()
            self.command(f"STORE {seqs} {mode}FLAGS ({' '.join(flags)})")
            self.check_store(seqs, mode, set(flags))
        elif op == "expunge":
            seqs = self.random_set()
            if seqs is None:
                return
            self.command(f"STORE {seqs} +FLAGS.SILENT (\\Deleted)")
            self.command("EXPUNGE")
        elif op == "fetch":
            seqs = self.random_set()
            if seqs is None:
                return
            self.command(f"FETCH {seqs} (UID FLAGS BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        elif op == "body":
            seqs = self.random_set()
            if seqs is None:
                return
            self.command(f"FETCH {seqs} (UID BODY.PEEK[] RFC822.SIZE)")
        elif op == "disconnect":
            # drop the connection in the middle of a command, as a flaky client would
            self.conn.send(f"d{self.index} FETCH 1:* (UID FLAGS BODY.PEEK[])\r\n")
            self.conn.close()
            self.connect()
        elif op == "search":
            key = self.rng.choice(["ALL", "SEEN", "UNSEEN", "FLAGGED", "KEYWORD $Label1", "DELETED", "1:*"])
            for reply in self.command(f"SEARCH {key}"):
                if reply and isinstance(reply[0], Atom) and reply[0].text.upper() == "SEARCH":
                    for n in reply[1:]:
                        if not 1 <= int(n.text) <= len(self.uids):
                            self.fail(f"SEARCH {key} answered {n.text}, out of range 1..{len(self.uids)}")
        else:
            self.command("NOOP")
        self.ops += 1

    def check_store(self, seqs: str, mode: str, flags: set) -> None:
        first, _, last = seqs.partition(":")
        for n in range(int(first), int(last or first) + 1):
            if n not in self.flags_in_command:
                continue  # no FETCH came for it: expunged meanwhile by another session
            # another session's change may be reported in the same command, before or after ours
            wanted = {f.lower() for f in flags}
            answers = [{f.lower() for f in have} for have in self.flags_in_command[n]]
            ok = {"+": lambda a: wanted <= a, "-": lambda a: not wanted & a, "": lambda a: wanted == a}[mode]
            if not any(ok(a) for a in answers):
                self.fail(f"STORE {n} {mode}FLAGS {sorted(flags)} answered {[sorted(a) for a in answers]}")

    def checkpoint(self) -> dict:
        """NOOP to receive every pending change, then compare what was told with a full FETCH."""
        self.command("NOOP")
        told = list(zip(self.uids, self.flags))
        self.command("FETCH 1:* (UID FLAGS)" if self.uids else "NOOP")
        now = list(zip(self.uids, self.flags))
        if len(told) != len(now):
            self.fail(f"checkpoint: message count changed from {len(told)} to {len(now)} while quiet")
        for i, ((u1, f1), (u2, f2)) in enumerate(zip(told, now), start=1):
            if u1 is not None and u1 != u2:
                self.fail(f"checkpoint: sequence {i} was UID {u1}, now {u2}")
            if f1 is not None and f1 != f2:
                self.fail(f"checkpoint: sequence {i} was last reported with {sorted(f1)}, FETCH says {sorted(f2)}")
        return {u: f for u, f in now}


class Shared:
    def __init__(self, clients: int):
        self.lock = threading.Lock()
        self.expunged: set[int] = set()
        self.recent: dict[int, int] = {}
        self.message_ids: dict[int, str] = {}
        self.bodies: dict[int, str] = {}
        self.barrier = threading.Barrier(clients)
        self.states: dict[int, dict] = {}


def setup(args) -> None:
    c = StressClient(-1, args, Shared(1))
    c.conn.read_response()
    c.command(f"LOGIN {args.user} {args.password}")
    c.tag_no += 1
    c.conn.send(f"x DELETE {args.mailbox}\r\n")
    while not c.conn.read_response().startswith("x "):
        pass
    c.command(f"CREATE {args.mailbox}")
    c.command("LOGOUT")
    c.conn.close()


def run_client(client: StressClient, args, deadline: float) -> None:
    shared = client.shared
    try:
        client.conn.close()
        client.connect()
        next_checkpoint = time.monotonic() + args.checkpoint
        while True:
            now = time.monotonic()
            if now >= next_checkpoint or now >= deadline:
                shared.barrier.wait(timeout=120)
                state = client.checkpoint()
                with shared.lock:
                    shared.states[client.index] = state
                shared.barrier.wait(timeout=120)
                if client.index == 0:
                    compare_states(shared, client)
                shared.barrier.wait(timeout=120)
                if now >= deadline:
                    break
                next_checkpoint = time.monotonic() + args.checkpoint
            client.step()
        client.command("LOGOUT")
    except (Violation, OSError, EOFError, threading.BrokenBarrierError) as e:
        client.fail(f"{type(e).__name__}: {e}")
        shared.barrier.abort()


def compare_states(shared: Shared, reporter: StressClient) -> None:
    states = list(shared.states.items())
    base_index, base = states[0]
    for index, state in states[1:]:
        if state.keys() != base.keys():
            reporter.fail(f"clients {base_index} and {index} disagree on the UIDs: "
                          f"{sorted(set(state) ^ set(base))[:10]}")
            continue
        for uid, flags in state.items():
            if base[uid] != flags:
                reporter.fail(f"clients {base_index} and {index} disagree on UID {uid}: {sorted(base[uid])} vs {sorted(flags)}")
    shared.states.clear()


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=143)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--mailbox", default="stresstest")
    p.add_argument("--clients", type=int, default=6)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--checkpoint", type=float, default=10, help="seconds between consistency checkpoints")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)

    setup(args)
    shared = Shared(args.clients)
    clients = [StressClient(i, args, shared) for i in range(args.clients)]
    deadline = time.monotonic() + args.seconds
    threads = [threading.Thread(target=run_client, args=(c, args, deadline)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    errors = [e for c in clients for e in c.errors]
    ops = sum(c.ops for c in clients)
    print(f"{args.clients} clients, {ops} operations in {args.seconds:.0f}s, "
          f"{len(shared.expunged)} messages expunged, {len(errors)} violations")
    for e in errors[:50]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
