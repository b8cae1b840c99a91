"""One session against a running server: LOGIN, SELECT INBOX, UID FETCH 1:* (UID FLAGS), then COMMAND timed with the
CPU time each group of the server's threads (by name: file-lookup, C2 CompilerThread, ...) spent on it, from
/proc/PID/task/*/stat before and after; then COMMAND again. Used by bench/sort-first-cpu.sh (issue 15).

    python3 bench/sort_first_cpu.py PORT SERVER_PID COMMAND
"""
import collections
import os
import re
import socket
import sys
import time


def thread_cpu(pid):
    user, system = collections.Counter(), collections.Counter()
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            stat = open(f'/proc/{pid}/task/{task}/stat').read()
        except OSError:
            continue  # ended meanwhile
        name = re.sub(r'[-#]?\d+$', '', stat[stat.index('(') + 1:stat.rindex(')')]).strip()
        fields = stat[stat.rindex(')') + 2:].split()
        ticks = 1000 // os.sysconf('SC_CLK_TCK')
        user[name] += int(fields[11]) * ticks
        system[name] += int(fields[12]) * ticks
    return user, system


def main():
    port, pid, command = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    sock = socket.create_connection(('127.0.0.1', port))
    lines = sock.makefile('rb')
    lines.readline()

    def run(tag, text):
        sock.sendall(f'{tag} {text}\r\n'.encode())
        while True:
            line = lines.readline()
            if not line or line.startswith(f'{tag} '.encode()):
                return line

    for tag, text in (('a', 'LOGIN bench bench'), ('b', 'SELECT INBOX'), ('c', 'UID FETCH 1:* (UID FLAGS)')):
        run(tag, text)
    user0, system0 = thread_cpu(pid)
    started = time.time()
    answer = run('d', command).decode().strip()
    print(f'{command}: {(time.time() - started) * 1000:.0f} ms ({answer}), load {os.getloadavg()}')
    user1, system1 = thread_cpu(pid)
    total_user = total_system = 0
    for name in sorted(user1, key=lambda k: -(user1[k] - user0[k] + system1[k] - system0[k])):
        u, s = user1[name] - user0[name], system1[name] - system0[name]
        total_user, total_system = total_user + u, total_system + s
        if u + s:
            print(f'  {name:24s} user {u:6d} ms  kernel {s:6d} ms')
    print(f'  {"all threads":24s} user {total_user:6d} ms  kernel {total_system:6d} ms')
    started = time.time()
    run('e', command)
    print(f'again: {(time.time() - started) * 1000:.0f} ms')
    run('z', 'LOGOUT')


main()
