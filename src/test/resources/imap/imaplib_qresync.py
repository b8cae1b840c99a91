"""Two sessions through Python's imaplib (RFC 7162): one changes flags, expunges and appends at random
(seeded); the other reconnects with ENABLE QRESYNC and SELECT INBOX (QRESYNC (...)) after each burst,
applies VANISHED (EARLIER) and the FETCH lines to the state it kept, and checks that against a fresh
UID FETCH 1:* (FLAGS). Prints "round N ok" per round and "done"; exits 1 at the first divergence.

Usage: imaplib_qresync.py PORT USER PASSWORD ROUNDS SEED"""
import imaplib, random, re, sys

port, user, password, rounds, seed = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
FETCH = re.compile(rb'^\d+ \(UID (\d+) FLAGS \(([^)]*)\)(?: MODSEQ \((\d+)\))?\)$')


def login():
    c = imaplib.IMAP4('127.0.0.1', port)
    c.login(user, password)
    return c


def uid_set(text):
    out = set()
    for part in text.split(','):
        lo, _, hi = part.partition(':')
        out.update(range(int(lo), int(hi or lo) + 1))
    return out


def flags_of(raw):
    return frozenset(f for f in raw.decode().split() if f != '\\Recent')


def full_state(c):
    typ, data = c.uid('FETCH', '1:*', '(FLAGS)')
    state = {}
    for item in data:
        if item is None:
            continue
        m = FETCH.match(item)
        if m:
            state[int(m.group(1))] = flags_of(m.group(2))
    return state


def untagged(c, kind):
    return [d for d in c.untagged_responses.pop(kind, []) if d is not None]


def reconnect(validity, modseq, cache):
    c = login()
    c._simple_command('ENABLE', 'QRESYNC')
    c.untagged_responses.clear()
    typ, _ = c._simple_command('SELECT', 'INBOX', '(QRESYNC (%d %d))' % (validity, modseq))
    assert typ == 'OK', typ
    c.state = 'SELECTED'  # imaplib tracks the state only for its own select()
    for vanished in untagged(c, 'VANISHED'):
        text = vanished.decode()
        assert text.startswith('(EARLIER) '), text
        for uid in uid_set(text[len('(EARLIER) '):]):
            cache.pop(uid, None)
    for item in untagged(c, 'FETCH'):
        m = FETCH.match(item)
        assert m and m.group(3), item
        cache[int(m.group(1))] = flags_of(m.group(2))
    highest = int(untagged(c, 'HIGHESTMODSEQ')[-1])
    return c, highest


changer = login()
for i in range(30):
    changer.append('INBOX', None, None, b'Subject: seed %d\r\n\r\nbody\r\n' % i)
changer.select('INBOX')

client = login()
client._simple_command('ENABLE', 'QRESYNC')
client.untagged_responses.clear()
client._simple_command('SELECT', 'INBOX')
client.state = 'SELECTED'
validity = int(untagged(client, 'UIDVALIDITY')[-1])
modseq = int(untagged(client, 'HIGHESTMODSEQ')[-1])
cache = full_state(client)
client.logout()

for round in range(rounds):
    for _ in range(rng.randint(1, 8)):
        typ, data = changer.uid('SEARCH', None, 'ALL')
        uids = data[0].split()
        op = rng.random()
        if op < 0.55 and uids:
            flag = rng.choice(['\\Seen', '\\Flagged', '\\Answered', '$Label1', 'Work'])
            changer.uid('STORE', rng.choice(uids).decode(), rng.choice(['+FLAGS', '-FLAGS']), '(%s)' % flag)
        elif op < 0.8 and uids:
            gone = ','.join(u.decode() for u in rng.sample(uids, min(len(uids), rng.randint(1, 3))))
            changer.uid('STORE', gone, '+FLAGS.SILENT', '(\\Deleted)')
            changer.uid('EXPUNGE', gone)
        else:
            changer.append('INBOX', None, None, b'Subject: round %d\r\n\r\nbody\r\n' % round)
    client, modseq = reconnect(validity, modseq, cache)
    fresh = full_state(client)
    if fresh != cache:
        print('round %d diverged:\n  kept  %s\n  fresh %s' % (round, sorted(cache.items()), sorted(fresh.items())))
        sys.exit(1)
    client.logout()
    print('round %d ok (%d messages, modseq %d)' % (round, len(cache), modseq))
changer.logout()
print('done')
