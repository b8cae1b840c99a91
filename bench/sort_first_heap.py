"""One session against a running Roost: LOGIN, SELECT INBOX, UID FETCH 1:* (UID FLAGS) (the index's records read, no
message), then the heap in use after a full GC (jcmd GC.run, GC.heap_info: every generation's "used"); with a COMMAND,
that command timed too, its answer, and the heap after it. Used by bench/sort-first-heap.sh (issue 15).

    python3 bench/sort_first_heap.py PORT SERVER_PID [COMMAND]
"""
import os
import re
import socket
import subprocess
import sys
import time


def heap_used(pid):
    jcmd = os.path.join(os.path.dirname(os.path.realpath(f'/proc/{pid}/exe')), 'jcmd')
    subprocess.run([jcmd, pid, 'GC.run'], check=True, capture_output=True)
    info = subprocess.run([jcmd, pid, 'GC.heap_info'], check=True, capture_output=True, text=True).stdout
    # DefNew and Tenured lines ("total 29504K, used 1234K"), not Metaspace's ("used 20000K, committed ...")
    return sum(int(k) * 1024 for k in re.findall(r'total \d+K, used (\d+)K', info))


def main():
    port, pid = int(sys.argv[1]), sys.argv[2]
    command = sys.argv[3] if len(sys.argv) > 3 else None
    sock = socket.create_connection(('127.0.0.1', port))
    lines = sock.makefile('rb')
    lines.readline()

    def run(tag, text):
        sock.sendall(f'{tag} {text}\r\n'.encode())
        while True:
            line = lines.readline()
            if not line or line.startswith(f'{tag} '.encode()):
                return line.decode(errors='replace').strip() or '(connection closed)'

    for tag, text in (('a', 'LOGIN bench bench'), ('b', 'SELECT INBOX'), ('c', 'UID FETCH 1:* (UID FLAGS)')):
        run(tag, text)
    idle = heap_used(pid)
    print(f'idle heap in use after a full GC: {idle / 1048576:.1f} MB')
    if command:
        started = time.time()
        answer = run('d', command)
        print(f'{command}: {(time.time() - started) * 1000:.0f} ms ({answer[:60]}), load {os.getloadavg()}')
        print(f'heap held after it (full GC): {(heap_used(pid) - idle) / 1048576:.1f} MB above idle')
    run('z', 'LOGOUT')


if __name__ == '__main__':
    main()
