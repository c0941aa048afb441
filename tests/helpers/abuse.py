#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Peers that misbehave, for the demo servers' tests.  Exit 0 when the server
behaved (an echo is checked byte for byte).

  abuse.py reset PORT        send half a message, then reset the connection
  abuse.py halfclose PORT    send 4 KiB, shut down writing, read the echo to EOF
  abuse.py slowreader PORT   send 1 MiB without reading, then read it back slowly
  abuse.py flood PORT N      hold N connections; print how many the server closed
"""
import os, resource, socket, struct, sys, time

mode, port = sys.argv[1], int(sys.argv[2])
addr = ("127.0.0.1", port)

def conn():
    s = socket.create_connection(addr, timeout=10)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s

def read_exact(s, n):
    out = bytearray()
    while len(out) < n:
        b = s.recv(min(65536, n - len(out)))
        if not b:
            break
        out += b
    return bytes(out)

if mode == "reset":
    s = conn()
    s.sendall(os.urandom(2000))
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
elif mode == "halfclose":
    s = conn()
    msg = os.urandom(4096)
    s.sendall(msg)
    s.shutdown(socket.SHUT_WR)
    got = read_exact(s, len(msg) + 1)
    if got != msg:
        sys.exit(f"halfclose: {len(got)} bytes echoed, expected the 4096 sent")
elif mode == "slowreader":
    # writes without reading until both directions' buffers are full (the
    # server's writes get EAGAIN and must wait), pauses, then reads it all back
    s = conn()
    msg = os.urandom(1 << 20)
    s.setblocking(False)
    sent, got = 0, bytearray()
    stall_until = time.monotonic() + 0.5
    deadline = time.monotonic() + 20
    while len(got) < len(msg):
        if time.monotonic() > deadline:
            sys.exit(f"slowreader: {len(got)} of {len(msg)} bytes back ({sent} sent) before the deadline")
        progress = False
        if sent < len(msg):
            try:
                sent += s.send(msg[sent:sent + 65536])
                progress = True
            except BlockingIOError:
                pass
        if time.monotonic() >= stall_until:
            try:
                b = s.recv(65536)
                if not b:
                    sys.exit("slowreader: the server closed the connection")
                got += b
                progress = True
            except BlockingIOError:
                pass
        if not progress:
            time.sleep(0.001)
    if bytes(got) != msg:
        sys.exit("slowreader: the echo differs")
elif mode == "flood":
    n = int(sys.argv[3])
    resource.setrlimit(resource.RLIMIT_NOFILE, (n + 100, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))
    socks = [socket.create_connection(addr, timeout=10) for _ in range(n)]
    time.sleep(1)
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except ConnectionResetError:
            closed += 1
    print(closed)
else:
    sys.exit(f"unknown mode {mode}")
