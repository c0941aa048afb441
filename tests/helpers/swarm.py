#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Makes many processes or threads each do one recognizable socket call, and
prints who did what, for the attribution tests:
  swarm.py procs N   N forked children, child i binds a UDP socket and prints "pid port"
  swarm.py threads N N threads, thread i binds a UDP socket and prints "tid port"
"""
import os, socket, sys, threading

def one():
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port

mode, n = sys.argv[1], int(sys.argv[2])
lines = []
if mode == "procs":
    r, w = os.pipe()
    pids = []
    for _ in range(n):
        pid = os.fork()
        if pid == 0:
            os.close(r)
            os.write(w, f"{os.getpid()} {one()}\n".encode())
            os._exit(0)
        pids.append(pid)
    os.close(w)
    for pid in pids:
        os.waitpid(pid, 0)
    sys.stdout.write(os.fdopen(r).read())
else:
    lock = threading.Lock()
    def work():
        port = one()
        with lock:
            lines.append(f"{threading.get_native_id()} {port}")
    ts = [threading.Thread(target=work) for _ in range(n)]
    for t in ts: t.start()
    for t in ts: t.join()
    print("\n".join(lines))
