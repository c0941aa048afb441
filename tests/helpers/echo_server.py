#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""A tiny TCP echo server for the attach tests: it opens its listening socket
before anyone traces it, writes its port to PORTFILE, echoes one message per
connection, and on "quit" closes the listener and exits."""
import socket, sys

s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
with open(sys.argv[1] + ".tmp", "w") as f:
    f.write(str(s.getsockname()[1]))
import os
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
s.settimeout(60)
while True:
    c, _ = s.accept()
    data = c.recv(100)
    if data.strip() == b"quit":
        c.close()
        s.close()
        break
    c.sendall(data)
    c.close()
