"""How far reads of cold message files overlap on this disk (issue 15): the same COUNT files of a Maildir's cur/ (in
the order of dovecot-uidlist, as a first SORT reads them) read with each number of threads in turn, the page cache
dropped before each: open, one read of 8 KiB (a header), close. Prints wall time, CPU (user, kernel) and the load.

    python3 bench/cold_reads.py MAILDIR COUNT THREADS...      e.g. /tmp/sortmem-100k/mail/bench 20000 1 4 16 64
Root only (drop_caches); under the bench lock.
"""
import os
import queue
import resource
import sys
import threading
import time


def names_in_uid_order(maildir):
    listing = {name.split(':')[0]: name for name in os.listdir(os.path.join(maildir, 'cur'))}
    with open(os.path.join(maildir, 'dovecot-uidlist')) as uidlist:
        next(uidlist)  # the header line
        for line in uidlist:
            base = line.split(' ', 1)[1].strip().split(' ')[-1].lstrip(':')
            if base in listing:
                yield os.path.join(maildir, 'cur', listing[base])


def read_all(paths, threads):
    work = queue.SimpleQueue()
    for path in paths:
        work.put(path)

    def reader():
        while True:
            try:
                path = work.get_nowait()
            except queue.Empty:
                return
            fd = os.open(path, os.O_RDONLY)
            os.read(fd, 8192)
            os.close(fd)

    workers = [threading.Thread(target=reader) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()


def main():
    maildir, count, thread_counts = sys.argv[1], int(sys.argv[2]), [int(t) for t in sys.argv[3:]]
    paths = []
    for path in names_in_uid_order(maildir):
        paths.append(path)
        if len(paths) == count:
            break
    for threads in thread_counts:
        os.sync()
        with open('/proc/sys/vm/drop_caches', 'w') as drop:
            drop.write('3\n')
        before = resource.getrusage(resource.RUSAGE_SELF)
        started = time.time()
        read_all(paths, threads)
        wall = time.time() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        print(f'{threads:3d} threads: {len(paths)} cold files in {wall * 1000:7.0f} ms '
              f'({wall * 1e6 / len(paths):5.1f} us a file), user {(after.ru_utime - before.ru_utime) * 1000:6.0f} ms, '
              f'kernel {(after.ru_stime - before.ru_stime) * 1000:6.0f} ms, load {os.getloadavg()[0]:.1f}')


if __name__ == '__main__':
    main()
