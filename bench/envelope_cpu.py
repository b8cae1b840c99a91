#!/usr/bin/env python3
"""For bench/run-mbox-envelope.sh: SELECT INBOX, then FETCH of the newest 50 (ENVELOPE) twice, with the server's
CPU time around the SELECT and the first, by thread group (Roost's JVM: the carrier threads, the JIT compilers...) or by
process (Dovecot: its processes and those they reaped), read from /proc 0.3 s before and after: nanoseconds on the CPU
from schedstat (a clock tick, 10 ms, is as long as the commands now take), processes reaped in clock ticks.
usage: envelope_cpu.py PORT PID roost|dovecot [COUNT]"""
import imaplib, os, re, sys, time
port, pid, kind = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
count = int(sys.argv[4]) if len(sys.argv) > 4 else 50
tck = os.sysconf('SC_CLK_TCK')

def descendants(root):
    parent = {}
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                st = open(f'/proc/{p}/stat').read()
                parent[int(p)] = int(st[st.rindex(')') + 2:].split()[1])
            except OSError:
                pass
    out = []
    for p in parent:
        q = p
        while q != root and q in parent and q > 1:
            q = parent[q]
        if q == root:
            out.append(p)
    return out

def on_cpu(path):
    """nanoseconds a live thread or process has run (schedstat's first field)"""
    return int(open(f'{path}/schedstat').read().split()[0])

def threads():
    """{group: ns} for Roost's JVM threads, {process comm: ns incl. reaped} for Dovecot's tree"""
    res = {}
    if kind == 'roost':
        for t in os.listdir(f'/proc/{pid}/task'):
            try:
                comm = open(f'/proc/{pid}/task/{t}/comm').read().strip()
                ns = on_cpu(f'/proc/{pid}/task/{t}')
            except OSError:
                continue
            group = re.sub(r'[-#]?\d+$', '', comm)
            res[group] = res.get(group, 0) + ns
    else:
        for p in descendants(pid):
            try:
                comm = open(f'/proc/{p}/comm').read().strip()
                st = open(f'/proc/{p}/stat').read()
                ns = on_cpu(f'/proc/{p}')
            except OSError:
                continue
            f = st[st.rindex(')') + 2:].split()
            res[comm] = res.get(comm, 0) + ns + (int(f[13]) + int(f[14])) * 1_000_000_000 // tck
    return res

# A JVM goes on compiling (its start, its warm-up) for a while after its port opens: wait until the server has
# been quiet for half a second (at most 10 s), so that the rows below are the commands' own; reported as "settled".
start = threads()
quiet, settled = threads(), time.perf_counter()
for _ in range(20):
    time.sleep(0.5)
    now = threads()
    if sum(now.values()) - sum(quiet.values()) <= 5_000_000:
        break
    quiet = now
settled_cpu = (sum(quiet.values()) - sum(start.values())) // 1_000_000

def process_cpu():
    """the whole process's CPU since it started, threads that ended included (Roost: its start, the warm-up...)"""
    st = open(f'/proc/{pid}/stat').read()
    f = st[st.rindex(')') + 2:].split()
    return (int(f[11]) + int(f[12])) * 1000 // tck

total_at_settle = process_cpu()
settled = (time.perf_counter() - settled) * 1000
c = imaplib.IMAP4('127.0.0.1', port)
c.login('bench', 'bench')
time.sleep(0.3)
before_select = threads()
t = time.perf_counter(); typ, data = c.select('INBOX'); sel = (time.perf_counter() - t) * 1000
n = int(data[0])
time.sleep(0.3)
before = threads()
t = time.perf_counter(); typ, data = c.fetch(f'{max(1, n - count + 1)}:{n}', '(ENVELOPE)'); cold = (time.perf_counter() - t) * 1000
assert typ == 'OK' and len([d for d in data if d]) >= count, (typ, len(data))
time.sleep(0.3)
after = threads()
t = time.perf_counter(); c.fetch(f'{max(1, n - count + 1)}:{n}', '(ENVELOPE)'); again = (time.perf_counter() - t) * 1000
# the 50 before them: not cached either, but the code is warm now (what an uncached ENVELOPE costs after the first)
t = time.perf_counter(); c.fetch(f'{max(1, n - 2 * count + 1)}:{max(1, n - count)}', '(ENVELOPE)'); following = (time.perf_counter() - t) * 1000
time.sleep(0.3)
last = threads()
c.logout()

def cpu(a, b):
    delta = {k: (b.get(k, 0) - a.get(k, 0)) / 1e6 for k in b}
    parts = ' '.join(f'{k}={v:.1f}' for k, v in sorted(delta.items(), key=lambda kv: -kv[1]) if v >= 0.1)
    return f'CPU {sum(delta.values()):.1f} ms [{parts}]'

print(f'{kind}: settled after {settled:.0f} ms ({settled_cpu} ms CPU; {total_at_settle} ms since the process started)')
print(f'{kind}: SELECT {sel:.1f} ms  {cpu(before_select, before)}', flush=True)
print(f'{kind}: cold ENVELOPE {cold:.1f} ms  {cpu(before, after)}  again {again:.1f} ms'
      f'  | the 50 before {following:.1f} ms  {cpu(after, last)} (with the "again")', flush=True)
