#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# `socktrace run`: real eBPF against real programs; every call checked against
# what the program itself says it did (peerpair -o ORACLE).

load helpers

# trace_pair MODE: runs peerpair MODE under socktrace --format json; sets PID and
# leaves the matched calls (oracle order) in $TMP/matched.jsonl.
trace_pair() {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/trace.jsonl" -- "$PEERPAIR" "$1" -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	PID=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["pids"][0])' "$TMP/trace.jsonl")
	run python3 "$TOP/tests/oracle.py" "$TMP/oracle.jsonl" "$TMP/trace.jsonl" --pid "$PID"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	echo "$output" > "$TMP/matched.jsonl"
}

# field N EXPR: evaluates a python expression on matched call N (c)
field() {
	python3 -c 'import json,sys; c=[json.loads(l) for l in open(sys.argv[1])][int(sys.argv[2])]; print(eval(sys.argv[3]))' \
		"$TMP/matched.jsonl" "$1" "$2"
}

@test "run: TCP over 127.0.0.1, every call once, in order, decoded" {
	trace_pair tcp4
	# 0 socket 1 bind 2 listen 3 getsockname 4 socket 5 connect 6 accept4 7 send 8 recv
	# 9 send 10 recv 11 shutdown 12 recv(EOF) 13-15 close
	[ "$(field 0 'c["args"]["domain"], c["args"]["type"]')" = "('AF_INET', 'SOCK_STREAM')" ]
	[ "$(field 1 'c["args"]["addr"]')" = "127.0.0.1:0" ]
	port=$(field 3 'c["args"]["addr"].split(":")[1]')
	[ "$port" -gt 0 ]
	[ "$(field 2 'c["args"]["backlog"]')" = 8 ]
	[ "$(field 2 'c["sock"]["local"]')" = "127.0.0.1:$port" ]
	[ "$(field 5 'c["args"]["addr"]')" = "127.0.0.1:$port" ]
	cport=$(field 5 'c["sock"]["local"].split(":")[1]')
	[ "$(field 5 'c["sock"]["peer"]')" = "127.0.0.1:$port" ]
	[ "$(field 5 'c["sock"]["state"]')" = ESTABLISHED ]
	[ "$(field 6 'c["args"]["addr"]')" = "127.0.0.1:$cport" ]
	[ "$(field 6 'c["args"]["flags"]')" = SOCK_CLOEXEC ]
	[ "$(field 7 'c["args"]["len"], c["ret"], c["sock"]["kind"]')" = "(4, 4, 'TCP')" ]
	[ "$(field 8 'c["args"]["len"], c["ret"]')" = "(64, 4)" ]
	[ "$(field 9 'c["args"]["flags"]')" = MSG_NOSIGNAL ]
	[ "$(field 11 'c["args"]["how"]')" = SHUT_WR ]
	[ "$(field 12 'c["ret"]')" = 0 ]
	[ "$(field 13 'c["sock"]["local"], c["sock"]["peer"]')" = "('127.0.0.1:$port', '127.0.0.1:$cport')" ]
	# every call has a duration and a time after the previous one
	python3 - "$TMP/matched.jsonl" <<'PY'
import json, sys
cs = [json.loads(l) for l in open(sys.argv[1])]
assert all(c["dur_ns"] > 0 for c in cs), "zero durations"
ts = [c["time_ns"] for c in cs]
assert ts == sorted(ts), ts
PY
}

@test "run: TCP over [::1]" {
	trace_pair tcp6
	[ "$(field 0 'c["args"]["domain"]')" = AF_INET6 ]
	[ "$(field 1 'c["args"]["addr"]')" = "[::1]:0" ]
	port=$(field 3 'c["args"]["addr"].rsplit(":",1)[1]')
	[ "$(field 5 'c["args"]["addr"]')" = "[::1]:$port" ]
	[ "$(field 7 'c["sock"]["kind"], c["sock"]["peer"]')" = "('TCPv6', '[::1]:$port')" ]
}

@test "run: unix socket with a path, and with an abstract name" {
	trace_pair unix
	[ "$(field 0 'c["args"]["domain"]')" = AF_UNIX ]
	[ "$(field 1 'c["args"]["addr"]')" = "\"/tmp/peerpair-$PID.sock\"" ]
	[ "$(field 5 'c["args"]["addr"]')" = "\"/tmp/peerpair-$PID.sock\"" ]
	[ "$(field 7 'c["sock"]["kind"]')" = UNIX-STREAM ]
	# the two ends name each other by inode
	[ "$(field 7 'c["sock"]["peer"]')" = "$(field 8 'c["sock"]["local"]')" ]
	trace_pair abstract
	[ "$(field 1 'c["args"]["addr"]')" = "@\"peerpair-$PID\"" ]
}

@test "run: --explain tells a unix socket's calls from TCP's: no SYN, no FIN" {
	requires root bpf btf
	run_tool run --explain -q -e bind,connect,close -- "$PEERPAIR" unix
	[ "$status" -eq 0 ]
	[ "$(grep -c 'ⓘ the socket gets its name (unix_bind' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'ⓘ the kernel finds the socket bound to that name (unix_stream_connect)' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'ⓘ .*(unix_release) and its peer reads end of file' <<<"$output")" -eq 1 ]
	! grep 'ⓘ' <<<"$output" | grep -q 'SYN\|FIN\|inet_' || false
	# the same calls over TCP say TCP's, each once
	run_tool run --explain -q -e bind,connect,close -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	[ "$(grep -c 'ⓘ the kernel sends a SYN' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'ⓘ .*TCP ends the connection with a FIN' <<<"$output")" -eq 1 ]
}

@test "run: --explain follows a non-blocking connect to its getsockopt(SO_ERROR), where curl learns it was refused; a close sends a FIN only on a connection left to end" {
	requires root bpf btf curl
	RUN_STATUS=7 run_tool run --explain -q -e connect,getsockopt,close -- curl -s http://127.0.0.1:1/
	grep -q 'connect([0-9]*, 127.0.0.1:1) .*= -EINPROGRESS' <<<"$output"
	grep -q 'ⓘ EINPROGRESS: .* getsockopt(SO_ERROR) says how it went' <<<"$output"
	grep -q 'getsockopt([0-9]*, SOL_SOCKET, SO_ERROR, ECONNREFUSED) .*= 0 ' <<<"$output"
	[ "$(grep -c 'ⓘ SO_ERROR is the socket.s pending error' <<<"$output")" -eq 1 ]
	# the refused socket never had a connection: its close sends no FIN
	[[ "$(grep -v '└' <<<"$output" | grep -A1 ' close([0-9]*) 127.0.0.1:[0-9]* → 127.0.0.1:1 ' | tail -1)" =~ "ⓘ the fd goes away and the socket is released (sock_close -> inet_release); it has no connection left to end (never made, refused, reset, or closed both ways already: TIME_WAIT holds the rest), so nothing is sent" ]]
	! grep -q 'ⓘ .*FIN' <<<"$output" || false
	# nor does one whose connection both ends closed already (its TIME_WAIT
	# holds the rest), after the peer's close sent the FIN
	"$PYTHON3" - >"$TMP/both.py" <<'PY'
print("""import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
print(c.fileno(), a.fileno(), flush=True)
c.shutdown(socket.SHUT_WR); a.recv(1); a.close(); c.recv(1)
c.close()""")
PY
	run_tool run --explain -q -e close -o "$TMP/both.txt" -- "$PYTHON3" "$TMP/both.py"
	[ "$status" -eq 0 ]
	read -r cfd afd <<<"$output"
	[[ "$(grep -v '└' "$TMP/both.txt" | grep -A1 " close($afd) 127.0.0.1:" | tail -1)" =~ "ⓘ the fd goes away; with the last reference the socket is released (sock_close -> inet_release) and TCP ends the connection with a FIN (a RST if bytes it got were never read)" ]]
	[[ "$(grep -v '└' "$TMP/both.txt" | grep -A1 " close($cfd) 127.0.0.1:" | tail -1)" =~ "ⓘ the fd goes away and the socket is released (sock_close -> inet_release); it has no connection left to end (never made, refused, reset, or closed both ways already: TIME_WAIT holds the rest), so nothing is sent" ]]
}

@test "run: --explain says what ECONNREFUSED and ECONNRESET mean on each kind of socket: a RST, an ICMP port unreachable, a name nobody listens on, bytes left unread" {
	requires root bpf btf python3
	run_tool run --explain -q -e connect,recv -- "$PYTHON3" -c '
import os, socket, sys
def refused(f):
    try: f()
    except ConnectionRefusedError: pass
refused(lambda: socket.create_connection(("127.0.0.1", 1)))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.connect(("127.0.0.1", 1)); u.send(b"x")
refused(lambda: u.recv(10))
stale = socket.socket(socket.AF_UNIX); stale.bind(sys.argv[1]); stale.close()  # the file stays
refused(lambda: socket.socket(socket.AF_UNIX).connect(sys.argv[1]))
os.unlink(sys.argv[1])
a, b = socket.socketpair()
a.send(b"unread"); b.close()  # closed with bytes it never read
try: a.recv(10)
except ConnectionResetError: pass' "$TMP/stale.sock"
	[ "$status" -eq 0 ]
	grep -A3 'recvfrom([0-9]*, 10 B) .*-ECONNRESET' <<<"$output" | grep -q 'ⓘ ECONNRESET on a unix socket: the peer closed with bytes it had not read'
	! grep -q 'ⓘ ECONNRESET: .*a RST' <<<"$output" || false
	[ "$(grep -c 'ⓘ ECONNREFUSED' <<<"$output")" -eq 3 ]
	grep -A3 'connect([0-9]*, 127.0.0.1:1) .*-ECONNREFUSED' <<<"$output" | grep -q 'ⓘ ECONNREFUSED: .* answered the SYN with a RST'
	grep -A3 'recvfrom([0-9]*, 10 B) .*-ECONNREFUSED' <<<"$output" | grep -q 'ⓘ ECONNREFUSED on UDP: .*ICMP port unreachable'
	grep -A3 "connect([0-9]*, \"$TMP/stale.sock\") .*-ECONNREFUSED" <<<"$output" | grep -q 'ⓘ ECONNREFUSED on a unix socket: the name exists but no socket listens on it'
}

@test "run: --explain says what a server's failures mean: EMFILE at ulimit -n, EADDRINUSE, EADDRNOTAVAIL, EACCES for a low port, ENOTCONN" {
	requires root bpf btf python3
	run_tool run --explain -q -e accept,bind,getpeername -- "$PYTHON3" -c '
import os, resource, socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
taken = socket.socket()
try: taken.bind(s.getsockname())
except OSError: pass
try: socket.socket().bind(("192.0.2.1", 0))   # TEST-NET-1: not this host
except OSError: pass
try: s.getpeername()                           # a listener has no peer
except OSError: pass
low = socket.socket()
if os.fork() == 0:
    os.setuid(65534)                           # nobody may not bind port 80
    try: low.bind(("127.0.0.1", 80))
    except OSError: pass
    os._exit(0)
os.wait()
c = socket.socket(); c.connect(s.getsockname())
while os.dup(0) < c.fileno(): pass             # no fd below the last left free
resource.setrlimit(resource.RLIMIT_NOFILE, (c.fileno() + 1,) * 2)
try: s.accept()
except OSError: pass'
	[ "$status" -eq 0 ]
	grep -A3 'accept4([0-9]*, .*= -EMFILE' <<<"$output" | grep -q 'ⓘ EMFILE: .*(ulimit -n, RLIMIT_NOFILE); an accept that fails so leaves the connection in the listen queue'
	grep -A3 'bind([0-9]*, 127.0.0.1:[0-9]*) .*= -EADDRINUSE' <<<"$output" | grep -q 'ⓘ EADDRINUSE: another socket already holds that local address and port'
	grep -A3 'bind([0-9]*, 192.0.2.1:0) .*= -EADDRNOTAVAIL' <<<"$output" | grep -q "ⓘ EADDRNOTAVAIL: the address is not one of this host's"
	grep -A3 'bind([0-9]*, 127.0.0.1:80) .*= -EACCES' <<<"$output" | grep -q 'ⓘ EACCES on bind: a port below net.ipv4.ip_unprivileged_port_start'
	grep -A3 'getpeername([0-9]*, .*= -ENOTCONN' <<<"$output" | grep -q 'ⓘ ENOTCONN: the socket has no peer'
	# once each
	[ "$(grep -c 'ⓘ ENOTCONN' <<<"$output")" -eq 1 ]
}

@test "run: --explain says what each usual socket option does, once per option; an option it has no sentence for gets setsockopt's own" {
	requires root bpf btf python3
	run_tool run --explain -q -e setsockopt -- "$PYTHON3" -c '
import socket, struct
t = socket.socket(socket.AF_INET6)
for lvl, opt, v in [(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1), (socket.SOL_SOCKET, socket.SO_REUSEPORT, 1),
                    (socket.SOL_SOCKET, socket.SO_KEEPALIVE, 1), (socket.SOL_SOCKET, socket.SO_RCVBUF, 65536),
                    (socket.SOL_SOCKET, 33, 65536),  # SO_RCVBUFFORCE: not SO_RCVBUF
                    (socket.SOL_SOCKET, socket.SO_SNDBUF, 65536), (socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0),
                    (socket.IPPROTO_TCP, socket.TCP_CORK, 1), (socket.IPPROTO_TCP, socket.TCP_NODELAY, 1),
                    (socket.IPPROTO_TCP, socket.TCP_NODELAY, 0)]:
    t.setsockopt(lvl, opt, v)
t.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))'
	[ "$status" -eq 0 ]
	# each call, and the sentence under it: the option's own
	said() { grep -A1 -E "setsockopt\\([0-9]+, $1\\) +=" <<<"$output" | sed -n 2p | sed 's/^ *//'; }
	[[ "$(said 'SOL_SOCKET, SO_REUSEADDR, 1')" == "ⓘ SO_REUSEADDR lets bind take a port that an earlier server's connections still hold in TIME_WAIT"* ]]
	[[ "$(said 'SOL_SOCKET, SO_REUSEPORT, 1')" == "ⓘ SO_REUSEPORT lets several sockets bind the same address and port"* ]]
	[[ "$(said 'SOL_SOCKET, SO_KEEPALIVE, 1')" == "ⓘ SO_KEEPALIVE at 1 makes TCP probe a connection idle"* ]]
	[[ "$(said 'SOL_SOCKET, SO_RCVBUF, 65536')" == "ⓘ SO_RCVBUF sizes the receive buffer"*"net.core.rmem_max"* ]]
	[ "$(said 'SOL_SOCKET, SO_RCVBUFFORCE, 65536')" = "ⓘ an option of the socket or its protocol is set" ]
	[[ "$(said 'SOL_SOCKET, SO_SNDBUF, 65536')" == "ⓘ SO_SNDBUF sizes the send buffer"*"net.core.wmem_max"* ]]
	[[ "$(said 'SOL_IPV6, IPV6_V6ONLY, 0')" == "ⓘ IPV6_V6ONLY says whether an IPv6 socket takes IPv6 only"* ]]
	[[ "$(said 'SOL_TCP, TCP_CORK, 1')" == "ⓘ TCP_CORK at 1 holds back segments"* ]]
	[[ "$(said 'SOL_TCP, TCP_NODELAY, 1')" == "ⓘ TCP_NODELAY at 1 turns Nagle's algorithm off"* ]]
	[[ "$(said 'SOL_SOCKET, SO_LINGER, .*, 8')" == "ⓘ SO_LINGER sets what close does with data not yet sent"* ]]
	# once per option: the second TCP_NODELAY has none
	[[ "$(said 'SOL_TCP, TCP_NODELAY, 0')" != ⓘ* ]]
	[ "$(grep -c 'ⓘ' <<<"$output")" -eq 10 ]
}

@test "run: a unix socket is shown by its bound name, from the call that bound it on" {
	trace_pair unix
	path=/tmp/peerpair-$PID.sock
	# 0 socket 1 bind 4 socket 6 accept4 7 send (client) 8 recv (accepted)
	[ "$(field 0 '"local_name" in c["sock"]')" = False ]
	[ "$(field 1 'c["sock"]["local_name"]')" = "$path" ]
	# an accepted socket has its listener's name; a client's peer is that socket
	[ "$(field 6 'c["sock"]["local_name"], "peer_name" in c["sock"]')" = "('$path', False)" ]
	[ "$(field 7 'c["sock"]["peer_name"], "local_name" in c["sock"]')" = "('$path', False)" ]
	# the inodes stay each end's identity
	[ "$(field 7 'c["sock"]["local"]')" = "$(field 8 'c["sock"]["peer"]')" ]
	trace_pair abstract
	[ "$(field 1 'c["sock"]["local_name"]')" = "@peerpair-$PID" ]
	[ "$(field 7 'c["sock"]["peer_name"]')" = "@peerpair-$PID" ]
	# the text view, the connection summary, and a recording's report say the same
	run_tool run --color never --record "$TMP/u.rec" -o "$TMP/live.txt" -- "$PEERPAIR" unix
	[ "$status" -eq 0 ]
	pid=$(sed -n 's/.*tracing peerpair (pid \([0-9]*\)).*/\1/p' "$TMP/live.txt")
	grep -E "^ +[0-9.]+ +$pid +$pid peerpair +sendto\([0-9]+, 4 B\) unix:[0-9]+ → \"/tmp/peerpair-$pid.sock\" +=" "$TMP/live.txt"
	grep -E "^ +[0-9.]+ +$pid +$pid peerpair +socket\(AF_UNIX, SOCK_STREAM, 0\) += [0-9]+ " "$TMP/live.txt"
	run_tool report "$TMP/u.rec" -o "$TMP/report.txt"
	[ "$status" -eq 0 ]
	cmp "$TMP/live.txt" "$TMP/report.txt"
	run_tool run -c --by conn -- "$PEERPAIR" unix
	[ "$status" -eq 0 ]
	[[ "$output" =~ "UNIX-STREAM unix:"[0-9]+" → \"/tmp/peerpair-"[0-9]+".sock\"" ]]
	[[ "$output" =~ "UNIX-STREAM \"/tmp/peerpair-"[0-9]+".sock\" → unix:"[0-9]+ ]]
}

@test "run: a unix peer not yet accepted, or closed, is said so; the send still pairs with its recv" {
	requires root bpf btf python3
	cat >"$TMP/unixlate.py" <<'PY'
import os, socket, sys
path = sys.argv[1]
srv = socket.socket(socket.AF_UNIX)
srv.bind(path)
srv.listen(1)
c = socket.socket(socket.AF_UNIX)
c.connect(path)
c.send(b"early")  # the server has not accepted: its end has no inode yet
a, _ = srv.accept()
a.recv(100)
c.close()
a.recv(100)  # end of file from a peer that is gone
os.unlink(path)
PY
	run_tool run --format json -o "$TMP/u.jsonl" -e sendto,recvfrom -- "$PYTHON3" "$TMP/unixlate.py" "$TMP/late.sock"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c '
import json, sys
send, got, eof = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"]
path = sys.argv[2]
assert send["call"] == "sendto" and send["ret"] == 5, send
assert send["sock"]["peer"] == "unix:(not accepted)", send["sock"]
assert send["sock"]["peer_name"] == path, send["sock"]
assert got["ret"] == 5 and got["sock"]["peer"] == send["sock"]["local"], (got, send)
assert eof["ret"] == 0 and eof["sock"]["peer"] == "unix:(closed)", eof["sock"]
assert "peer_name" not in eof["sock"], eof["sock"]
' "$TMP/u.jsonl" "$TMP/late.sock"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	# the text view names the listener the early send went to
	run_tool run --color never -q -e sendto -- "$PYTHON3" "$TMP/unixlate.py" "$TMP/late.sock"
	[[ "$output" =~ "sendto("[0-9]+", 5 B) unix:"[0-9]+" → \"$TMP/late.sock\"" ]]
	# the sequence view pairs the early send with the recv that got it
	run_tool run --view sequence --color never -q -e sendto,recvfrom -- "$PYTHON3" "$TMP/unixlate.py" "$TMP/late.sock"
	[ "$status" -eq 0 ]
	grep -q '─(1)─.*sendto([0-9]*, 5 B) = 5' <<<"$output"
	grep -q '─(1)─.*recvfrom([0-9]*, 100 B) = 5' <<<"$output"
}

@test "run: UDP sendto/recvfrom carry the peer address" {
	trace_pair udp
	port=$(field 2 'c["args"]["addr"].split(":")[1]')
	[ "$(field 4 'c["call"], c["args"]["addr"], c["args"]["len"]')" = "('sendto', '127.0.0.1:$port', 8)" ]
	cport=$(field 4 'c["sock"]["local"].split(":")[1]')
	[ "$(field 5 'c["call"], c["args"]["addr"], c["ret"]')" = "('recvfrom', '127.0.0.1:$cport', 8)" ]
	[ "$(field 5 'c["sock"]["kind"]')" = UDP ]
}

@test "run: an address longer than the buffer it came into shows what the buffer held, never the bytes after it: recvfrom, recvmsg, recvmmsg" {
	requires root bpf btf python3
	# the kernel copies what fits and sets the length to the whole address's
	cat >"$TMP/names.py" <<'PY'
import ctypes, socket
libc = ctypes.CDLL(None, use_errno=True)
class iovec(ctypes.Structure): _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]
class msghdr(ctypes.Structure): _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint32), ("iov", ctypes.POINTER(iovec)), ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p), ("controllen", ctypes.c_size_t), ("flags", ctypes.c_int)]
class mmsghdr(ctypes.Structure): _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint32)]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(("127.0.0.2", 0))
def hdr(namelen):  # the bytes after the name's buffer are 0xee: 238.238.238.238
    name, buf = ctypes.create_string_buffer(b"\xee" * 32), ctypes.create_string_buffer(16)
    hdr.keep += [name, buf]
    io = iovec(ctypes.cast(buf, ctypes.c_void_p), 16)
    return msghdr(ctypes.cast(name, ctypes.c_void_p), namelen, ctypes.pointer(io), 1, None, 0, 0)
hdr.keep = []
for n in (4, 16):
    v.sendto(b"hi", u.getsockname())
    m = hdr(n)
    assert libc.recvmsg(u.fileno(), ctypes.byref(m), 0) == 2 and m.namelen == 16
    v.sendto(b"hi", u.getsockname())
    name, ln = ctypes.create_string_buffer(b"\xee" * 32), ctypes.c_uint32(n)
    assert libc.recvfrom(u.fileno(), ctypes.create_string_buffer(16), 16, 0, name, ctypes.byref(ln)) == 2
v.sendto(b"hi", u.getsockname()); v.sendto(b"hi", u.getsockname())
mm = (mmsghdr * 2)(mmsghdr(hdr(4), 0), mmsghdr(hdr(16), 0))
assert libc.recvmmsg(u.fileno(), mm, 2, 0, None) == 2
print(v.getsockname()[1])
PY
	run_tool run -e recvfrom,recvmsg,recvmmsg -- "$PYTHON3" "$TMP/names.py"
	[ "$status" -eq 0 ]
	port=$(grep -E '^[0-9]+$' <<<"$output")
	! grep -q '238\.238' <<<"$output" || false
	# 4 bytes of a sockaddr_in: its family; 16, the whole address
	[ "$(grep -oE '(recvmsg|recvfrom|recvmmsg)\([0-9]+, [^)]*\)|from=\[.*\]' <<<"$output" | sed -E 's/\([0-9]+,/(FD,/' | paste -sd'|')" = \
		"recvmsg(FD, {{AF_INET}, iov=1, len=16, control=0})|recvfrom(FD, 16 B, {AF_INET})|recvmsg(FD, {127.0.0.2:$port, iov=1, len=16, control=0})|recvfrom(FD, 16 B, 127.0.0.2:$port)|recvmmsg(FD, 2)|from=[{AF_INET}, 127.0.0.2:$port]" ]
}

@test "run: netlink and packet sockets, and options' values: the family's protocol, options and addresses, as ip(8), tcpdump, a multicast receiver and a unix server make them" {
	requires root bpf btf python3
	cat > "$TMP/nl.py" <<'EOF'
import os, socket
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, socket.NETLINK_ROUTE)
n.setsockopt(270, 11, 1)  # SOL_NETLINK, NETLINK_EXT_ACK
n.bind((0, 1))            # the kernel picks the port id; group RTMGRP_LINK
n.getsockname()
p = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3))
p.bind(("lo", 0x86dd))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.setsockopt(socket.SOL_UDP, 103, 1400)  # UDP_SEGMENT
u.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, b"lo")
u.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP, socket.inet_aton("239.1.2.3") + socket.inet_aton("127.0.0.1"))
t = socket.socket()
t.setsockopt(socket.SOL_TCP, socket.TCP_CONGESTION, b"reno")
t.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE)
t.getsockopt(socket.SOL_TCP, socket.TCP_INFO, 104)
sp = socket.socketpair()
sp[0].getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
m = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
m.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_JOIN_GROUP, socket.inet_pton(socket.AF_INET6, "ff02::1:3") + (1).to_bytes(4, "little"))
r = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
r.connect(("127.0.0.1", 0))
r.send(bytes.fromhex("0800f7fb00010001"))  # an echo request, as ping sends it
print(os.getpid())
EOF
	run_tool run -q -o "$TMP/t.txt" -- "$PYTHON3" "$TMP/nl.py"
	[ "$status" -eq 0 ]
	pid=$output
	cat "$TMP/t.txt" >&2
	nl=$(sed -n 's/.*socket(AF_NETLINK, SOCK_RAW|SOCK_CLOEXEC, NETLINK_ROUTE) *= \([0-9]*\) .*/\1/p' "$TMP/t.txt")
	pk=$(sed -n 's/.*socket(AF_PACKET, SOCK_RAW|SOCK_CLOEXEC, htons(ETH_P_ALL)) *= \([0-9]*\) .*/\1/p' "$TMP/t.txt")
	[ -n "$nl" ]
	[ -n "$pk" ]
	grep -q "setsockopt($nl, SOL_NETLINK, NETLINK_EXT_ACK, 1) *= 0 " "$TMP/t.txt"
	grep -q "bind($nl, {AF_NETLINK, pid=0, groups=0x1}) *= 0 " "$TMP/t.txt"
	grep -q "getsockname($nl, {AF_NETLINK, pid=$pid, groups=0x1}) *= 0 " "$TMP/t.txt"
	grep -q "bind($pk, {AF_PACKET, proto=ETH_P_IPV6, ifindex=1}) *= 0 " "$TMP/t.txt"
	grep -Eq 'setsockopt\([0-9]+, SOL_UDP, UDP_SEGMENT, 1400\) *= 0 ' "$TMP/t.txt"
	grep -Eq 'setsockopt\([0-9]+, SOL_SOCKET, SO_BINDTODEVICE, "lo", 2\) *= 0 ' "$TMP/t.txt"
	grep -Eq 'setsockopt\([0-9]+, SOL_IP, IP_ADD_MEMBERSHIP, \{imr_multiaddr=239\.1\.2\.3, imr_interface=127\.0\.0\.1\}, 8\) *= 0 ' "$TMP/t.txt"
	grep -Eq 'setsockopt\([0-9]+, SOL_TCP, TCP_CONGESTION, "reno"\) *= 0 ' "$TMP/t.txt"
	grep -Eq 'getsockopt\([0-9]+, SOL_SOCKET, SO_TYPE, SOCK_STREAM\) *= 0 ' "$TMP/t.txt"
	grep -Eq 'getsockopt\([0-9]+, SOL_TCP, TCP_INFO, \{tcpi_state=CLOSE, tcpi_retransmits=0, tcpi_probes=0, tcpi_backoff=0, tcpi_rto=[0-9]+, tcpi_ato=[0-9]+, \.\.\.\}, 104\) *= 0 ' "$TMP/t.txt"
	grep -Eq "getsockopt\([0-9]+, SOL_SOCKET, SO_PEERCRED, \{pid=$pid, uid=$(id -u), gid=$(id -g)\}, 12\) unix:" "$TMP/t.txt"
	grep -Eq 'setsockopt\([0-9]+, SOL_IPV6, IPV6_ADD_MEMBERSHIP, \{ipv6mr_multiaddr=ff02::1:3, \.\.\.\}, 20\) *= 0 ' "$TMP/t.txt"
	# a raw socket's "port" is its protocol (1, ICMP): its ends are addresses
	grep -Eq 'socket\(AF_INET, SOCK_RAW\|SOCK_CLOEXEC, IPPROTO_ICMP\) +=' "$TMP/t.txt"
	grep -Eq 'sendto\([0-9]+, 8 B\) 127\.0\.0\.1 → 127\.0\.0\.1 +=' "$TMP/t.txt"
}

@test "run: a program's own names (its comm, the path it ran) cannot send terminal controls: they show as '?', as ps shows them" {
	requires root bpf btf python3
	esc=$(printf '\033')
	ln -s "$PYTHON3" "$TMP/py${esc}[31m"
	run_tool run -- "$TMP/py${esc}[31m" -c '
import ctypes, socket
ctypes.CDLL(None).prctl(15, b"ev\x1b[2J\xc2\x9b", 0, 0, 0)
socket.socket().close()'
	[ "$status" -eq 0 ]
	[[ "$output" != *"$esc"* ]]
	[[ "$output" == *"tracing py?[31m (pid "* ]]
	[[ "$output" == *"+++ exec $TMP/py?[31m +++"* ]]
	grep -Eq '^ +[0-9.]+ +[0-9]+ +[0-9]+ ev\?\[2J\?\? +socket\(AF_INET, ' <<< "$output"
	# a name in UTF-8, cut by the kernel's 15 bytes inside its eighth é: the
	# half character is dropped (the line stays UTF-8), the columns line up
	# by what shows, not by bytes
	for fmt in text json gantt; do
		[ $fmt = gantt ] && args="--view gantt -e socket,close" || args="--format $fmt"
		run_tool run $args -- "$PYTHON3" -c '
import ctypes, socket
ctypes.CDLL(None).prctl(15, "éééééééé".encode(), 0, 0, 0)
socket.socket().close()'
		[ "$status" -eq 0 ]
		"$PYTHON3" -c '
import json, sys
raw = sys.stdin.buffer.read()
out = raw.decode("utf-8")     # strict: a half character fails here
lines = out.splitlines()
if sys.argv[1] == "json":
    assert any(json.loads(l).get("comm") == "ééééééé" for l in lines if "socket" in l), out
elif sys.argv[1] == "gantt":
    head = next(l for l in lines if l.startswith("THREAD "))
    lane = next(l for l in lines if l.startswith("ééééééé "))
    assert lane.index("s") == head.index("|0"), (head, lane)
else:
    head = next(l for l in lines if " COMM " in l)
    row = next(l for l in lines if "socket(AF_INET" in l)
    assert " ééééééé " in row and row.index("socket(") == head.index("CALL"), (head, row)' $fmt <<<"$output"
	done
}

@test "run: a refused connect shows -ECONNREFUSED" {
	trace_pair refused
	[ "$(field 5 'c["call"], c["ret"], c["errno"], c["errno_name"]')" = "('connect', -1, 111, 'ECONNREFUSED')" ]
}

@test "run: the text view shows the same calls" {
	requires root bpf btf
	run_tool run --color never -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^"socktrace: tracing peerpair (pid "[0-9]+") via raw syscall tracepoints; kernel path via " ]]
	[[ "${lines[1]}" =~ TIME.*PID.*TID.*COMM.*CALL.*RESULT.*DUR ]]
	# bats holds fds 3 and 4 open, so the socket's fd is not fixed
	[[ "$output" =~ "socket(AF_INET, SOCK_STREAM, 0)"\ +"= "([0-9]+) ]]
	fd=${BASH_REMATCH[1]}
	[[ "$output" =~ "bind($fd, 127.0.0.1:0) 127.0.0.1:"[0-9]+\ +"= 0" ]]
	# the bound end is said once, as getsockname's argument, not again after it
	[[ "$output" =~ "getsockname($fd, 127.0.0.1:"[0-9]+")"\ +"= 0" ]]
	[[ "$output" =~ "connect($fd, 127.0.0.1:"[0-9]+")"\ +"= -ECONNREFUSED" ]]
	[[ "$output" =~ "+++ exited 0 +++" ]]
	[[ "${lines[-1]}" =~ ^"socktrace: peerpair exited 0 — 7 calls traced, 0 events lost"$ ]]
}

@test "run: the child's very first call is traced (it is held until probes are attached)" {
	requires root bpf btf python3
	run_tool run --format json -e socket -- "$PYTHON3" -c 'import socket; socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)'
	[ "$status" -eq 0 ]
	run python3 -c 'import json,sys; print([json.loads(l)["args"]["domain"] for l in sys.stdin if "\"call\"" in l])' <<<"$output"
	[ "$output" = "['AF_INET6']" ]
}

@test "run: a forked child's calls appear under its own pid; --no-follow leaves them out" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/f.jsonl" -- "$PEERPAIR" fork
	[ "$status" -eq 0 ]
	python3 - "$TMP/f.jsonl" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
root = rs[0]["pids"][0]
forks = [r for r in rs if r["type"] == "fork"]
assert len(forks) == 1 and forks[0]["ppid"] == root, forks
child = forks[0]["pid"]
calls = [r for r in rs if r["type"] == "call"]
assert calls and all(c["pid"] == child for c in calls), [(c["pid"], c["call"]) for c in calls]
assert [c["call"] for c in calls][:3] == ["socket", "bind", "listen"], calls[:3]
exits = [r["pid"] for r in rs if r["type"] == "exit"]
assert exits == [child, root], exits
PY
	run_tool run --no-follow --format json -o "$TMP/nf.jsonl" -- "$PEERPAIR" fork
	[ "$status" -eq 0 ]
	run grep -c '"type":"call"' "$TMP/nf.jsonl"
	[ "$output" = 0 ]
}

@test "run: what the command left running is traced until it exits, as strace -f; the status is the command's; --no-follow and Ctrl-C stop at once" {
	requires root bpf btf python3
	run_tool run -e connect -- sh -c "(sleep 0.3; exec $PEERPAIR refused) & exit 3"
	[ "$status" -eq 3 ]
	[[ "$stderr" =~ "socktrace: sh exited 3; tracing what it left running (" ]]
	grep -Eq ' peerpair +connect\(.*= -ECONNREFUSED' <<< "$output"
	[[ "${lines[-1]}" =~ "sh exited 3 — 1 call traced, 0 events lost" ]]
	# not followed: nothing waits for it
	run_tool run --no-follow -e connect -- sh -c "(sleep 0.3; exec $PEERPAIR refused) & exit 3"
	[ "$status" -eq 3 ]
	[[ "$output" != *connect* ]]
	[[ "$stderr" != *"left running"* ]]
	"$TOOL_BIN" run -o "$TMP/out" -- sh -c 'sleep 30 & exit 4' 2>"$TMP/err" &
	pid=$!
	PIDS+=($pid)
	wait_for_line "$TMP/err" "left running \\(sleep, pid"
	sleeper=$(sed -n 's/.*(sleep, pid \([0-9]*\)).*/\1/p' "$TMP/err")
	PIDS+=($sleeper)
	kill -INT $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 4 ]
	grep -q "sh exited 4; what it left running goes on (sleep, pid $sleeper) — 0 calls traced" "$TMP/out"
	kill -0 "$sleeper"
}

@test "run: threads are traced with their own tid" {
	requires root bpf btf python3
	run_tool run --format json -e socket -- "$PYTHON3" -c '
import socket, threading
t = threading.Thread(target=lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM)); t.start(); t.join()'
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
cs = [json.loads(l) for l in sys.stdin if "\"call\"" in l]
assert len(cs) == 1 and cs[0]["tid"] != cs[0]["pid"] and cs[0]["args"]["type"] == "SOCK_DGRAM|SOCK_CLOEXEC", cs' <<<"$output"
}

@test "run: exits with the command's status: 0, 3, 143 after SIGTERM, 127 when not found, 126 when not runnable" {
	requires root bpf btf
	run_tool run -q -- true
	[ "$status" -eq 0 ]
	run_tool run -- sh -c 'exit 3'
	[ "$status" -eq 3 ]
	[[ "${lines[-1]}" =~ "sh exited 3" ]]
	run_tool run -- sh -c 'kill -TERM $$'
	[ "$status" -eq 143 ]
	[[ "${lines[-1]}" =~ "sh killed by SIGTERM" ]]
	RUN_STATUS=127 run_tool run -- no-such-command-here --flag
	[ "$status" -eq 127 ]
	# said before anything is loaded, as the shell says it: no trace begins
	[ "$stderr" = "socktrace: no-such-command-here: command not found" ]
	[ -z "$output" ]
	# an empty name too, as bash's '': no trace of a child that never ran
	RUN_STATUS=127 run_tool run -- ''
	[ "$stderr" = "socktrace: : command not found" ]
	[ -z "$output" ]
	# a file that is not executable, a directory: 126, as the shell says them
	touch "$TMP/notexec"
	RUN_STATUS=126 run_tool run -- "$TMP/notexec"
	[ "$stderr" = "socktrace: $TMP/notexec: Permission denied" ]
	[ -z "$output" ]
	RUN_STATUS=126 run_tool run -- "$TMP"
	[ "$stderr" = "socktrace: $TMP: Is a directory" ]
}

@test "run: SIGTERM to socktrace is forwarded to the command, the footer is printed" {
	requires root bpf btf
	"$TOOL_BIN" run -o "$TMP/out" -- sleep 30 2>"$TMP/err" &
	pid=$!
	PIDS+=($pid)
	wait_for_line "$TMP/out" "tracing sleep"
	kill -TERM $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 143 ]
	grep -q "sleep killed by SIGTERM — 0 calls traced, 0 events lost" "$TMP/out"
}

@test "run: a command that ignores the signal is left running; socktrace stops within a second" {
	requires root bpf btf
	# a background job of a non-interactive shell starts with SIGINT ignored
	"$TOOL_BIN" run -o "$TMP/out" -- sleep 30 2>"$TMP/err" &
	pid=$!
	PIDS+=($pid)
	wait_for_line "$TMP/out" "tracing sleep"
	child=$(sed -n 's/.*(pid \([0-9]*\)).*/\1/p' "$TMP/out" | head -1)
	PIDS+=($child)
	kill -INT $pid
	rc=0
	SECONDS=0
	wait $pid || rc=$?
	[ "$rc" -eq 130 ]
	[ "$SECONDS" -le 3 ]
	grep -q "stopped tracing sleep (pid $child, still running)" "$TMP/out"
	kill -0 "$child"
}

@test "run: --duration stops tracing, says it waits for the command, and exits with its status; a signal ends the wait" {
	requires root bpf btf
	run_tool run --duration 0.3 -- sh -c 'sleep 1.5; exit 3'
	[ "$status" -eq 3 ]
	[[ "${lines[-1]}" =~ "stopped tracing sh (pid "[0-9]+", still running)" ]]
	[[ "$stderr" =~ ^"socktrace: waiting for sh (pid "[0-9]+") to exit; Ctrl-C stops waiting"$ ]]
	# the wait, not the command, is what SIGINT ends (a background job ignores it)
	"$TOOL_BIN" run --duration 0.3 -- sleep 30 >"$TMP/out" 2>"$TMP/err" &
	pid=$!
	PIDS+=($pid)
	wait_for_line "$TMP/err" "waiting for sleep"
	kill -INT $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 130 ]
	[ "$(grep -vc '^socktrace: waiting for sleep' "$TMP/err")" -eq 0 ]
}

@test "run: -ff -o FILE writes each thread's calls to FILE.TID, as strace -ff (text and JSON); FILE has the header and footer; -ff without -o is -f" {
	requires root bpf btf python3
	cat >"$TMP/refused.py" <<'PY'
import socket
def refused(port):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", port))
    except OSError:
        pass
    s.close()
PY
	cat >"$TMP/threads.py" <<'PY'
import os, threading
from refused import refused
t = threading.Thread(target=refused, args=(2,))
t.start()
t.join()
pid = os.fork()
if pid == 0:
    refused(3)
    os._exit(0)
os.waitpid(pid, 0)
refused(1)
PY
	run_tool run -ff -o "$TMP/ff" -e connect -- "$PYTHON3" "$TMP/threads.py"
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "into '$TMP/ff' and a file per thread beside it ('.TID' added)" ]]
	# FILE: the header and the footer, no call
	grep -q '^socktrace: tracing python3 (pid [0-9]*) via ' "$TMP/ff"
	grep -q '^socktrace: python3 exited 0 — 3 calls traced, 0 events lost$' "$TMP/ff"
	! grep -q 'connect(' "$TMP/ff" || false
	# one file per thread that called, each holding its own thread's call alone
	[ "$(ls "$TMP"/ff.* | wc -l)" -eq 3 ]
	for port in 1 2 3; do
		f=$(grep -l "connect([0-9]*, 127.0.0.1:$port)" "$TMP"/ff.*)
		tid=${f##*.}
		[ "$(stat -c %a "$f")" = 600 ]
		[ "$(grep -c 'connect(' "$f")" -eq 1 ]
		# the list view's lines: TID is the file's
		[ "$(grep 'connect(' "$f" | awk '{print $3}')" = "$tid" ]
		! grep -q '^socktrace:' "$f" || false
		eval "tid$port=$tid"
	done
	# the main thread's file has its exec, the child's its fork and exit
	grep -qE "^ +[0-9.]+ +$tid1 +$tid1 python3 +\+\+\+ exec " "$TMP/ff.$tid1"
	grep -qE "^ +[0-9.]+ +$tid3 +$tid3 python3 +\+\+\+ forked from pid $tid1 \+\+\+$" "$TMP/ff.$tid3"
	grep -qE "^ +[0-9.]+ +$tid3 +$tid3 python3 +\+\+\+ exited 0 \+\+\+$" "$TMP/ff.$tid3"
	# times since the trace began, as the one file's
	grep -qE '^ +0\.[0-9]{6} ' "$TMP/ff.$tid2"
	[ "$tid2" != "$tid1" ]
	# JSON: each file's calls are its thread's
	rm -f "$TMP"/ff*
	run_tool run -ff -o "$TMP/ff" --format json -e connect -- "$PYTHON3" "$TMP/threads.py"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c '
import glob, json, sys
files = sorted(glob.glob(sys.argv[1] + ".*"))
assert len(files) == 3, files
ports = set()
for f in files:
    calls = [r for r in map(json.loads, open(f)) if r["type"] == "call"]
    assert len(calls) == 1 and calls[0]["tid"] == int(f.rsplit(".", 1)[1]), (f, calls)
    ports.add(calls[0]["args"]["addr"])
assert ports == {"127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"}, ports
' "$TMP/ff"
	echo "$output" >&2
	[ "$status" -eq 0 ]
	# past 256 threads the least lately written file is closed, and opened
	# again to append: 300 threads call twice, between them all the others
	cat >"$TMP/many.py" <<'PY'
import threading
from refused import refused
b = threading.Barrier(300)
def twice():
    for port in (1, 2):
        refused(port)
        b.wait()
ts = [threading.Thread(target=twice) for _ in range(300)]
[t.start() for t in ts]
[t.join() for t in ts]
PY
	rm -f "$TMP"/ff*
	run_tool run -ff -o "$TMP/ff" -e connect -- "$PYTHON3" "$TMP/many.py"
	[ "$status" -eq 0 ]
	[ "$(ls "$TMP"/ff.* | wc -l)" -eq 301 ] # and the main thread's: its exec and exit
	# each thread's file: its connect to port 1, then to port 2, in order
	awk 'FNR == 1 { seq[FILENAME] = "" }
	     /connect\(/ { seq[FILENAME] = seq[FILENAME] substr($0, index($0, ":") + 1, 1) }
	     END { for (f in seq) n[seq[f]]++; for (s in n) print n[s], s }' "$TMP"/ff.* | sort >"$TMP/counts"
	[ "$(cat "$TMP/counts")" = "$(printf '1 \n300 12')" ]
	# without -o, as strace: -ff is -f
	run_tool run -ff -e connect -- "$PYTHON3" "$TMP/threads.py"
	[ "$status" -eq 0 ]
	[ "$(grep -c 'connect(' <<<"$output")" -eq 3 ]
	# a thread's file that cannot be written: one line naming it, exit 1, detached
	"$PYTHON3" -c '
import socket, time
for i in range(200):
    s = socket.socket()
    try:
        s.connect(("127.0.0.1", 1))
    except OSError:
        pass
    s.close()
    time.sleep(0.05)' &
	pid=$!
	PIDS+=("$pid")
	mkdir "$TMP/ffa.$pid"
	run_tool attach -ff -o "$TMP/ffa" -e connect --duration 5 "$pid"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[1]}" = "socktrace: cannot write the trace to '$TMP/ffa.$pid': Is a directory" ]
	[[ "${stderr_lines[2]}" =~ ^"socktrace: detached from python3 (pid $pid) — " ]]
	# a tid is easy to guess: a link planted under its name is not followed
	rmdir "$TMP/ffa.$pid"
	ln -s "$TMP/victim" "$TMP/ffa.$pid"
	run_tool attach -ff -o "$TMP/ffa" -e connect --duration 5 "$pid"
	[ "$status" -eq 1 ]
	[ "${stderr_lines[1]}" = "socktrace: cannot write the trace to '$TMP/ffa.$pid': Too many levels of symbolic links" ]
	[ ! -e "$TMP/victim" ]
	# what puts every thread in one is one line and exit 2
	for opt in -c -C --histogram "--by conn" "--view sequence" "--format perfetto"; do
		run_tool run -ff -o "$TMP/x" $opt -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: -ff -o writes each thread's calls to a file of its own: $opt puts them all in one (drop -ff, or $opt)" ]
	done
}

@test "run: -o writes a 0600 file; -e selects categories; -t prints wall-clock time (-ttt epoch seconds), the call's own lines under it, in the sequence view too" {
	requires root bpf btf
	run_tool run -o "$TMP/t.txt" -t -e connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$TMP/t.txt")" = 600 ]
	run grep -cE '^[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6} .*connect\(' "$TMP/t.txt"
	[ "$output" = 1 ]
	run grep -cE 'socket\(|bind\(|close\(' "$TMP/t.txt"
	[ "$output" = 0 ]
	# the call's own lines (its kernel path) begin under the call, past the wider TIME
	call_col=$(grep -E 'connect\(' "$TMP/t.txt" | sed 's/connect(.*//' | wc -m)
	path_col=$(grep -A1 -E 'connect\(' "$TMP/t.txt" | tail -1 | sed 's/└.*//' | wc -m)
	[ "$call_col" -eq 47 ]
	[ "$path_col" -eq "$call_col" ]
	# -ttt, as strace's: seconds since the epoch, to the microsecond; -tt is -t
	before=$(date +%s)
	run_tool run -ttt -e connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	secs=$(grep -E 'connect\(' <<<"$output" | grep -oE '^[0-9]{10}\.[0-9]{6} ' | cut -d. -f1)
	[ "$secs" -ge "$before" ] && [ "$secs" -le "$(date +%s)" ]
	call_col=$(grep -E 'connect\(' <<<"$output" | sed 's/connect(.*//' | wc -m)
	path_col=$(grep -A1 -E 'connect\(' <<<"$output" | tail -1 | sed 's/└.*//' | wc -m)
	[ "$call_col" -eq 49 ] && [ "$path_col" -eq "$call_col" ]
	run_tool run -tt -e connect -- "$PEERPAIR" refused
	[[ "$output" =~ $'\n'[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}" ".*"connect(" ]]
	# the sequence view's TIME is the wall clock too; the gantt and the tables have none
	run_tool run -t --view sequence -e connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^" "+"TIME  │  kernel  │" ]]
	[[ "$output" =~ $'\n'[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}"  │          │ ◀── connect(" ]]
	for args in "-c" "--view gantt" "--format perfetto"; do
		run_tool run -t $args -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: -t is the TIME column of the list and sequence views (JSON's wall_ns): the tables, the gantt and Perfetto have no such column" ]
	done
	# -o - is stdout, as for most tools, not a file named "-"
	cd "$TMP"
	run_tool run -o - -q -e connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[[ "$output" =~ "connect(" ]]
	[ ! -e "$TMP/-" ]
	# JSON into a pipe, and the command prints there too: said before, once
	run bash -c "'$TOOL_BIN' run --format json -- echo hello 2>'$TMP/err' | cat"
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\n'"hello"$'\n' ]]
	[ "$(cat "$TMP/err")" = "socktrace: warning: echo shares its standard output with the JSON: -o FILE keeps them apart" ]
	run bash -c "'$TOOL_BIN' run --format json -o '$TMP/e.jsonl' -- echo hello 2>&1 | grep -c warning"
	[ "$output" = 0 ]
}

@test "run: -r shows the time since the line before, as strace -r: a pause is its own gap" {
	requires root bpf btf python3
	run_tool run -r -e socket -- "$PYTHON3" -c 'import socket, time
socket.socket(); time.sleep(0.3); socket.socket(); socket.socket()'
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^" "+"DELTA(s)" ]]
	run awk '/ socket\(/ { print $1 }' <<<"$output"
	[ "${#lines[@]}" -eq 3 ]
	# the pause before the second, none before the third
	awk -v d="${lines[1]}" 'BEGIN { exit !(d >= 0.3 && d < 1) }'
	awk -v d="${lines[2]}" 'BEGIN { exit !(d < 0.1) }'
	RUN_STATUS=2 run_tool run -r --format json -- true
	[[ "$stderr" =~ "-r is the TIME column of the list and sequence views" ]]
}

@test "run: -e in strace's syntax: trace=LIST, !LIST for all but those, %network, /REGEX, ?NAME; -f follows children as by default; -T, -y and -e signal=none are taken, -e read= and the like say what to do instead" {
	requires root bpf btf python3
	calls() { python3 -c 'import json,sys; print(" ".join(r["call"] for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"))' "$1"; }
	run_tool run --format json -o "$TMP/all.jsonl" -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	all=$(calls "$TMP/all.jsonl")
	[[ " $all " =~ " connect " && " $all " =~ " close " ]]
	run_tool run --format json -o "$TMP/t.jsonl" -e trace=connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[ "$(calls "$TMP/t.jsonl")" = connect ]
	# every call of the unfiltered run but the connects and closes, in the same order
	run_tool run --format json -o "$TMP/n.jsonl" -e 'trace=!connect,close' -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	want=$(tr ' ' '\n' <<<"$all" | grep -vxE 'connect|close' | paste -sd' ')
	[ -n "$want" ]
	[ "$(calls "$TMP/n.jsonl")" = "$want" ]
	# '!' goes before the whole list, not before one of its names
	run_tool run -e 'accept,!connect' -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: '!connect' in -e accept,!connect: '!' is for the whole list, as in strace: put it first, e.g. -e '!connect'" ]
	run_tool run --format json -o "$TMP/net.jsonl" -e %network -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[ "$(calls "$TMP/net.jsonl")" = "$all" ]
	# /REGEX: the calls whose names match; ?NAME: no error if it names none
	run_tool run --format json -o "$TMP/re.jsonl" -e 'trace=/^c(onnect|lose)$,?nope' -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	want=$(tr ' ' '\n' <<<"$all" | grep -xE 'connect|close' | paste -sd' ')
	[ "$(calls "$TMP/re.jsonl")" = "$want" ]
	RUN_STATUS=2 run_tool run -e '/^(send' -- true
	[ "${stderr_lines[0]}" = "socktrace run: '/^(send' in -e /^(send is not a regular expression (POSIX extended, as strace takes them: e.g. -e '/^(send|recv)')" ]
	RUN_STATUS=2 run_tool run -e 'connect,/^mmap' -- true
	[ "${stderr_lines[0]}" = "socktrace run: '/^mmap' in -e connect,/^mmap matches no call socktrace traces (put '?' before it if that may be so)" ]
	# -f (strace's habit) is the default: the forked child's calls are there
	run_tool run -f --format json -o "$TMP/f.jsonl" -- "$PEERPAIR" fork
	[ "$status" -eq 0 ]
	run python3 -c 'import json,sys; rs=[json.loads(l) for l in open(sys.argv[1])]; f=[r["pid"] for r in rs if r["type"]=="fork"]; c={r["pid"] for r in rs if r["type"]=="call"}; print(len(f), c == set(f))' "$TMP/f.jsonl"
	[ "$output" = "1 True" ]
	# a strace command line as it is: -T and -yy are taken (durations and ends
	# always shown), and -e's qualifiers for what socktrace does anyway
	run_tool run -f -T -yy -ttt --format json -o "$TMP/s.jsonl" -e trace=network -e signal=none \
		-e abbrev=none -e verbose=all -e decode-fds=all -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[ "$(calls "$TMP/s.jsonl")" = "$all" ]
	run_tool run --format json -o "$TMP/t.jsonl" -e t=connect -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[ "$(calls "$TMP/t.jsonl")" = connect ]
	# the others are one line saying what to do instead, not "unknown call"
	RUN_STATUS=2 run_tool run -e signal=SIGPIPE -- true
	[ "${stderr_lines[0]}" = "socktrace run: -e signal=SIGPIPE: socktrace shows no signals (a call one interrupts ends in EINTR, or restarts): leave it out" ]
	RUN_STATUS=2 run_tool run -e s=all -- true
	[[ "${stderr_lines[0]}" =~ "socktrace shows no signals" ]]
	RUN_STATUS=2 run_tool run -e read=3 -- true
	[ "${stderr_lines[0]}" = "socktrace run: -e read=3: socktrace keeps the bytes each call moved with -s N (-x for hex): use that instead" ]
	RUN_STATUS=2 run_tool run -e quiet=attach -- true
	[ "${stderr_lines[0]}" = "socktrace run: -e quiet=attach: socktrace's own lines (its header and footer) go with -q: use that instead" ]
	RUN_STATUS=2 run_tool run -e inject=connect:error=EACCES -- true
	[ "${stderr_lines[0]}" = "socktrace run: -e inject=connect:error=EACCES: socktrace only watches, it injects no faults: leave it out" ]
	RUN_STATUS=2 run_tool run -e raw=all -- true
	[ "${stderr_lines[0]}" = "socktrace run: -e raw=all: socktrace decodes every argument and has no raw form: leave it out" ]
}

@test "run: read/write are shown on sockets only, close of a socket shows its endpoints" {
	requires root bpf btf python3
	run_tool run --format json -e recv,send,close -- "$PYTHON3" -c '
import os, socket
a, b = socket.socketpair()
os.write(a.fileno(), b"xyz"); os.read(b.fileno(), 10)
r, w = os.pipe(); os.write(w, b"pipe"); os.read(r, 10); os.close(r); os.close(w)
a.close(); b.close()'
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
cs = [json.loads(l) for l in sys.stdin if "\"call\"" in l]
got = [(c["call"], c["ret"], c.get("sock", {}).get("kind")) for c in cs]
assert got == [("write", 3, "UNIX-STREAM"), ("read", 3, "UNIX-STREAM"),
               ("close", 0, "UNIX-STREAM"), ("close", 0, "UNIX-STREAM")], got' <<<"$output"
}

@test "run: sendfile and splice are traced where an fd is a socket: which way the bytes went, the offset, bytes counted" {
	requires root bpf btf python3
	# a file served by sendfile; a proxy's socket -> pipe -> socket; then the
	# same calls between a file and a pipe, which are no socket calls
	head -c 100000 /dev/urandom >"$TMP/f.bin"
	cat >"$TMP/sf.py" <<'PY'
import os, socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); d, _ = s.accept()
f = open(sys.argv[1], "rb")
os.sendfile(c.fileno(), f.fileno(), 1000, 50000)
os.sendfile(c.fileno(), f.fileno(), None, 30000)
r, w = os.pipe()
n = os.splice(d.fileno(), w, 5000)
os.splice(r, d.fileno(), n, flags=os.SPLICE_F_MOVE)
os.write(w, b"abc"); g = open(sys.argv[1] + ".out", "wb"); os.splice(r, g.fileno(), 3)
os.sendfile(g.fileno(), f.fileno(), 0, 10)
print("fds", c.fileno(), d.fileno(), f.fileno(), r, w, c.getsockname()[1], d.getsockname()[1], n, flush=True)
PY
	run_tool run --format json -o "$TMP/s.jsonl" -e sendfile,splice -- "$PYTHON3" "$TMP/sf.py" "$TMP/f.bin"
	[ "$status" -eq 0 ]
	python3 - "$TMP/s.jsonl" $(grep '^fds ' <<<"$output") <<'PY'
import json, sys
c, d, f, r, w, cport, dport, n = map(int, sys.argv[3:])
cs = [x for x in map(json.loads, open(sys.argv[1])) if x["type"] == "call"]
got = [(x["call"], x["category"], x["args"], x["ret"], x["sock"]["local"]) for x in cs]
want = [
    ("sendfile", "send", {"out_fd": c, "in_fd": f, "offset": "[1000] => [51000]", "count": 50000}, 50000, f"127.0.0.1:{cport}"),
    ("sendfile", "send", {"out_fd": c, "in_fd": f, "offset": "NULL", "count": 30000}, 30000, f"127.0.0.1:{cport}"),
    ("splice", "recv", {"fd_in": d, "off_in": "NULL", "fd_out": w, "off_out": "NULL", "len": 5000, "flags": "0"}, n, f"127.0.0.1:{dport}"),
    ("splice", "send", {"fd_in": r, "off_in": "NULL", "fd_out": d, "off_out": "NULL", "len": n, "flags": "SPLICE_F_MOVE"}, n, f"127.0.0.1:{dport}"),
]
assert got == want, got
assert all(x["sock"]["peer"] for x in cs), cs
PY
	# -e recv takes splice (either way) and not sendfile; -c counts the bytes
	run_tool run -q -c -e recv,send -- "$PYTHON3" "$TMP/sf.py" "$TMP/f.bin"
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\n'"sendfile "\ +"2 "\ +"0 ".*" 80000"$'\n' ]]
	read -r _ _ _ _ _ _ _ _ n < <(grep '^fds ' <<<"$output")
	[[ "$output" =~ $'\n'"splice "\ +"2 "\ +"0 ".*" $((2 * n))"$'\n' ]]
	run_tool run -q -e recv -- "$PYTHON3" "$TMP/sf.py" "$TMP/f.bin"
	[ "$(grep -c ' splice(' <<<"$output")" -eq 2 ]
	[ "$(grep -c ' sendfile(' <<<"$output")" -eq 0 ]
	# each connection's bytes, in and out, by the way they went
	run_tool run -q --by conn --format json -- "$PYTHON3" "$TMP/sf.py" "$TMP/f.bin"
	[ "$status" -eq 0 ]
	read -r _ _ _ _ _ _ cport dport n < <(grep '^fds ' <<<"$output")
	python3 -c '
import json, sys
cport, dport, n = sys.argv[1:]
s = [json.loads(l) for l in sys.stdin if l.startswith("{\"type\":\"summary\"")][0]
row = {c["local"]: (c["bytes_in"], c["bytes_out"]) for c in s["connections"] if c["peer"]}
assert row["127.0.0.1:" + cport] == (0, 80000), row
assert row["127.0.0.1:" + dport] == (int(n), int(n)), row' "$cport" "$dport" "$n" <<<"$output"
}

@test "run: a TCP socket past its peer's FIN keeps the ports getsockname gives, to its close" {
	requires root bpf btf python3
	# on loopback the whole teardown runs inside a.shutdown: both sockets
	# reach CLOSE, and the kernel gives their ports back (inet_num = 0)
	run_tool run -q --format json -o "$TMP/fin.jsonl" -e shutdown,close -- "$PYTHON3" -c '
import socket
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
c = socket.create_connection(l.getsockname()); a, _ = l.accept()
print(c.fileno(), c.getsockname()[1], a.fileno(), a.getsockname()[1], a.getpeername()[1], flush=True)
c.shutdown(socket.SHUT_WR); a.recv(10); a.shutdown(socket.SHUT_RDWR)
c.close(); a.close()'
	[ "$status" -eq 0 ]
	python3 - "$TMP/fin.jsonl" $output <<'PY'
import json, sys
cfd, cport, afd, aport, apeer = map(int, sys.argv[2:])
cs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"]
got = [(r["call"], r["args"]["fd"], r["sock"]["local"], r["sock"].get("peer")) for r in cs]
want = [("shutdown", cfd, f"127.0.0.1:{cport}", f"127.0.0.1:{aport}"),
        ("shutdown", afd, f"127.0.0.1:{aport}", f"127.0.0.1:{apeer}"),
        ("close", cfd, f"127.0.0.1:{cport}", f"127.0.0.1:{aport}"),
        ("close", afd, f"127.0.0.1:{aport}", f"127.0.0.1:{apeer}")]
assert got[:4] == want, got
PY
}

@test "run: a call still in the kernel when tracing stops is shown unfinished, with its time so far" {
	requires root bpf btf python3
	# the main thread waits in recv past --duration; another in a pipe's read,
	# which is no socket call; the recv returns a second after tracing stops
	local py='
import os, socket, threading, time
a, b = socket.socketpair(); r, w = os.pipe()
threading.Thread(target=lambda: os.read(r, 1), daemon=True).start()
threading.Thread(target=lambda: (time.sleep(2), b.send(b"x")), daemon=True).start()
print(a.fileno(), flush=True)
a.recv(10)'
	run_tool run -q --format json --duration 1 -o "$TMP/u.jsonl" -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	python3 - "$TMP/u.jsonl" "$output" <<'PY'
import json, sys
cs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"]
u = [c for c in cs if c.get("unfinished")]
assert len(u) == 1, u
c = u[0]
assert c["call"] == "recvfrom" and c["args"]["fd"] == int(sys.argv[2]), c
assert c["ret"] is None and "errno" not in c, c
assert 0.5e9 < c["dur_ns"] < 1.5e9, c
assert "slept" in c["kernel_path"]["line"], c
assert not [c for c in cs if c["call"] == "read"], cs
PY
	run_tool run --color never --duration 1 -e recv -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "recvfrom("[0-9]+", 10 B)"\ +"= ? <unfinished> ≥"[0-9.]+"ms" ]]
	# poll's array is read at its exit: unfinished, it is read from the process
	py='
import os, select, socket
s, t = socket.socket(), socket.socket()
for l in (s, t):
    l.bind(("127.0.0.1", 0)); l.listen()
p = select.poll(); p.register(s, select.POLLIN); p.register(t, select.POLLIN | select.POLLPRI)
os.write(1, b"fds %d %d\n" % (s.fileno(), t.fileno()))  # one write: the trace shares this stdout
p.poll(2000)'
	run_tool run --color never --duration 0.5 -e poll -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	read -r _ s t < <(grep '^fds ' <<<"$output")
	[[ "$output" =~ "poll([{$s, POLLIN}, {$t, POLLIN|POLLPRI}], 2, 2000)"\ +"= ? <unfinished>" ]]
}

@test "run: select, poll, epoll, msg/mmsg, readv/writev and io_uring syscalls are decoded" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/m.jsonl" -- "$BUILD/tests/multiplex"
	[ "$status" -eq 0 ]
	# the helper says which fds and port it got
	eval "$(tr ' ' '\n' <<<"$output")"
	python3 - "$TMP/m.jsonl" "$a" "$b" "$ep" "$udp" "$ring" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
a, b, ep, udp, ring = map(int, sys.argv[2:])
calls = {}
for r in rs:
    if r["type"] == "call":
        calls.setdefault(r["call"], []).append(r)
def one(name):
    assert len(calls.get(name, [])) == 1, (name, calls.get(name))
    return calls[name][0]
def check(name, args=None, ret=None, returned=None):
    c = one(name)
    for k, v in (args or {}).items():
        assert c["args"].get(k) == v, (name, k, c["args"].get(k), v)
    if ret is not None:
        assert c["ret"] == ret, (name, c["ret"], ret)
    if returned is not None:
        assert c.get("returned") == returned, (name, c.get("returned"), returned)
    return c
check("socketpair", {"domain": "AF_UNIX", "sv": f"[{a}, {b}]"}, 0)
check("select", {"nfds": a + 1, "readfds": f"[{a}]", "writefds": "NULL", "timeout": "1.500000s"}, 1, f"in=[{a}]")
check("pselect6", {"readfds": f"[{a} {b}]", "timeout": "1.500000s"}, 1, f"in=[{a}]")
check("poll", {"fds": f"[{{{a}, POLLIN}}, {{{b}, POLLIN}}]", "nfds": 2, "timeout": 1000}, 1, f"[{{{a}, POLLIN}}]")
check("ppoll", {"timeout": "0.250000s"}, 1)
check("epoll_create1", {"flags": "EPOLL_CLOEXEC"}, ep)
add, delete = calls.pop("epoll_ctl")
calls["epoll_ctl"] = [add]
c = check("epoll_ctl", {"epfd": ep, "op": "EPOLL_CTL_ADD", "fd": a, "event": f"{{EPOLLIN|EPOLLET, data={a}}}"}, 0)
assert c["sock"]["kind"] == "UNIX-STREAM", c
# a delete's event is not read by the kernel: its address, as strace shows it
assert delete["args"]["op"] == "EPOLL_CTL_DEL" and delete["args"]["event"].startswith("0x"), delete
check("epoll_wait", {"epfd": ep, "maxevents": 8, "timeout": 1000}, 1, f"[{{EPOLLIN, data={a}}}]")
check("epoll_pwait", {"epfd": ep}, 1, f"[{{EPOLLIN, data={a}}}]")
check("epoll_pwait2", {"timeout": "0.100000s"}, 1, f"[{{EPOLLIN, data={a}}}]")
# each iovec by length: what was asked, beside what moved
w = [c for c in calls["writev"] if c["ret"] == 5]
assert len(w) == 1 and w[0]["args"] == {"fd": a, "iov": "[2 B, 3 B]", "iovcnt": 2}, calls["writev"]
w = [c for c in calls["writev"] if c["ret"] == 10]
assert len(w) == 1 and w[0]["args"]["iov"] == "[" + "1 B, " * 8 + "...]", w
assert w[0]["args"]["iovcnt"] == 10, w
check("readv", {"fd": b, "iov": "[1 B, 30 B]", "iovcnt": 2}, 5)
s = check("sendmsg", {"msg": f"{{127.0.0.1:{udp}, iov=2, len=5, control=0}}"}, 5)
sport = s["sock"]["local"].split(":")[1]
check("recvmsg", {"msg": f"{{127.0.0.1:{sport}, iov=2, len=31, control=0}}", "flags": "MSG_DONTWAIT"}, 5)
# each datagram's peer where its message named one: where it went, who sent it
s = check("sendmmsg", {"vlen": 2}, 2, f"len=[3, 4] to=[127.0.0.1:{udp}, 127.0.0.1:{udp}]")
sport = s["sock"]["local"].split(":")[1]
check("recvmmsg", {"vlen": 2, "flags": "MSG_WAITFORONE"}, 2, f"len=[3, 4] from=[127.0.0.1:{sport}, -]")
u = check("io_uring_setup", {"entries": 4}, ring)
assert u["args"]["params"].startswith("{flags=0, sq_entries=4, cq_entries=8"), u
check("io_uring_register", {"fd": ring, "opcode": "IORING_REGISTER_BUFFERS", "nr_args": 1}, 0)
check("io_uring_enter", {"fd": ring, "to_submit": 0, "min_complete": 0, "flags": "IORING_ENTER_GETEVENTS"}, 0)
# read/write only on sockets: the helper's printf to stdout is not a socket write
assert all(w["sock"]["kind"] == "UNIX-STREAM" for w in calls["write"]), calls["write"]
PY
	# the text view leaves out the count when every length is there
	run_tool run -e writev,readv -q -o "$TMP/m.txt" -- "$BUILD/tests/multiplex"
	[ "$status" -eq 0 ]
	grep -qE " writev\($a, \[2 B, 3 B\]\) unix:[0-9]+ → unix:[0-9]+ += 5 " "$TMP/m.txt"
	grep -qE " readv\($b, \[1 B, 30 B\]\) unix:[0-9]+ → unix:[0-9]+ += 5 " "$TMP/m.txt"
	grep -qE " writev\($a, \[(1 B, ){8}\.\.\.\], 10\) unix:" "$TMP/m.txt"
}

@test "run: a poll or epoll_wait over more fds than a line holds ends its lists with '...', never mid-item; a ready fd past those read is not hidden" {
	requires root bpf btf python3
	run_tool run -e poll,epoll_wait --format json -o "$TMP/p.jsonl" -- "$PYTHON3" -c '
import select, socket
ss = [socket.socketpair() for i in range(100)]
p = select.poll()
for a, b in ss:
    p.register(a, select.POLLIN)
ss[-1][1].send(b"x")           # only the last fd is ready: past the pollfds read
assert len(p.poll(0)) == 1
e = select.epoll()
for a, b in ss[:40]:
    e.register(a, select.EPOLLIN)
    b.send(b"x")
assert len(e.poll(0, 64)) == 40'
	[ "$status" -eq 0 ]
	python3 - "$TMP/p.jsonl" <<'PY'
import json, re, sys
calls = {r["call"]: r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"}
p, e = calls["poll"], calls["epoll_wait"]
item = r"\{\d+, POLLIN\}"
assert re.fullmatch(rf"\[{item}(, {item})*, \.\.\.\]", p["args"]["fds"]), p["args"]["fds"]
assert p["args"]["nfds"] == 100 and p["ret"] == 1, p
assert p["returned"] == "[...]", p["returned"]
ev = r"\{EPOLLIN, data=(0x)?[0-9a-f]+\}"
assert e["ret"] == 40, e
assert re.fullmatch(rf"\[{ev}(, {ev})*, \.\.\.\]", e["returned"]), e["returned"]
PY
}

@test "run: sendmsg and recvmsg show their control messages: the fds passed and got, credentials, IP_PKTINFO and the TTL" {
	requires root bpf btf python3
	run_tool run -e sendmsg,recvmsg --format json -o "$TMP/c.jsonl" -- "$PYTHON3" -c '
import array, os, socket
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
r, w = os.pipe()
a.sendmsg([b"fds"], [(socket.SOL_SOCKET, socket.SCM_RIGHTS, array.array("i", [r, w]))])
got = [array.array("i", d).tolist() for _, _, d in b.recvmsg(16, socket.CMSG_SPACE(8))[1]][0]
b.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, 1)
a.sendmsg([b"cred"])
b.recvmsg(16, socket.CMSG_SPACE(12))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.setsockopt(socket.IPPROTO_IP, 8, 1)   # IP_PKTINFO
u.setsockopt(socket.IPPROTO_IP, 12, 1)  # IP_RECVTTL
socket.socket(socket.AF_INET, socket.SOCK_DGRAM).sendto(b"x", u.getsockname())
u.recvmsg(16, 64)
print(r, w, *got, os.getpid())'
	[ "$status" -eq 0 ]
	read -r r w g1 g2 pid <<<"${lines[0]}"
	"$PYTHON3" - "$TMP/c.jsonl" "$r" "$w" "$g1" "$g2" "$pid" <<'PY'
import json, sys
r, w, g1, g2, pid = sys.argv[2:]
msgs = [(c["call"], c["args"]["msg"]) for c in map(json.loads, open(sys.argv[1])) if c.get("type") == "call"]
want = [
    ("sendmsg", f"{{iov=1, len=3, control=[{{SOL_SOCKET, SCM_RIGHTS, [{r}, {w}]}}]}}"),
    ("recvmsg", f"{{iov=1, len=16, control=[{{SOL_SOCKET, SCM_RIGHTS, [{g1}, {g2}]}}]}}"),
    ("sendmsg", "{iov=1, len=4, control=0}"),
    ("recvmsg", f"control=[{{SOL_SOCKET, SCM_CREDENTIALS, {{pid={pid}, uid=0, gid=0}}}}]}}"),
    ("recvmsg", "control=[{SOL_IP, IP_PKTINFO, {ifindex=1, spec_dst=127.0.0.1, addr=127.0.0.1}}, {SOL_IP, IP_TTL, 64}]}"),
]
assert len(msgs) == len(want), msgs
for (call, msg), (wcall, wmsg) in zip(msgs, want):
    assert call == wcall and msg.endswith(wmsg), (call, msg, wmsg)
PY
}

# slow_reader FIFO OUT DONE: opens FIFO for reading at once but reads it
# only once DONE exists, into OUT.  A tracer writing there stalls when the
# pipe is full, as behind a slow consumer, so its small ring must overflow.
slow_reader() {
	"$PYTHON3" - "$@" <<'PY' &
import os, sys, time
fifo, out, done = sys.argv[1:]
with open(fifo, "rb") as f:
    deadline = time.monotonic() + 30
    while not os.path.exists(done) and time.monotonic() < deadline:
        time.sleep(0.02)
    data = f.read()
with open(out, "wb") as o:
    o.write(data)
PY
	READER=$!
}

@test "run: an overflowing ring buffer loses calls, and every lost call is counted and marked where it was lost" {
	requires root bpf btf python3
	# the command marks its end in a file, then the reader drains what the tracer kept
	burst=(sh -c '"$1" burst 100000 && touch "$2"' sh "$PEERPAIR")
	mkfifo "$TMP/slow.json" "$TMP/slow.txt"
	slow_reader "$TMP/slow.json" "$TMP/b.jsonl" "$TMP/done.json"
	run_tool run -q --buffer-size 8K -e getsockname --format json -o "$TMP/slow.json" --record "$TMP/b.rec" -- "${burst[@]}" "$TMP/done.json"
	wait "$READER"
	[ "$status" -eq 0 ]
	warning=$stderr
	# a recording keeps the marks where they were: report's JSON is the live one
	run_tool report --format json -o "$TMP/b.report.jsonl" "$TMP/b.rec"
	[ "$status" -eq 0 ]
	cmp "$TMP/b.jsonl" "$TMP/b.report.jsonl"
	# Perfetto shows them as instants across the whole timeline
	run_tool report --format perfetto -o "$TMP/b.perfetto.json" "$TMP/b.rec"
	[ "$status" -eq 0 ]
	"$PYTHON3" - "$TMP/b.perfetto.json" "$TMP/b.jsonl" <<'PY'
import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
lost = [e for e in ev if e.get("cat") == "lost"]
end = [json.loads(l) for l in open(sys.argv[2])][-1]
assert lost and all(e["ph"] == "i" and e["s"] == "g" for e in lost), lost[:2]
assert sum(e["args"]["count"] for e in lost) == end["lost"], (len(lost), end)
PY
	run python3 - "$TMP/b.jsonl" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
calls = sum(r["type"] == "call" for r in rs)
end = rs[-1]
assert end["type"] == "end" and end["calls"] == calls, end
by = end["lost_by_cause"]
assert calls + by["ring_buffer_full"] == 100000, (calls, end)
assert by["ring_buffer_full"] > 0, end
# a full ring can also cost a process event (the fork, exec, exit), counted apart
assert end["lost"] == by["ring_buffer_full"] + by["process_events"] + by["inflight_full"], end
# and each loss is marked where it was: after the calls kept before it, in time order
marks = [i for i, r in enumerate(rs) if r["type"] == "lost"]
assert marks and sum(rs[i]["count"] for i in marks) == end["lost"], (marks, end)
assert any(r["type"] == "call" for r in rs[marks[0]:]), "the first mark is not inside the trace"
for i in marks:
    before = [r["time_ns"] for r in rs[:i] if r["type"] == "call"]
    assert before and rs[i]["time_ns"] == max(before), (rs[i], before[-3:])
print(by["ring_buffer_full"])
PY
	[ "$status" -eq 0 ]
	# with -o and -q, a loss is still said on stderr
	[[ "$warning" =~ "socktrace: warning: "[0-9]+" event"s?" lost (ring buffer full: $output" ]]
	# and what would keep them
	[[ "$warning" =~ "socktrace: warning: the ring buffer (--buffer-size 8K) was full for $output records: give it more (--buffer-size 32K), trace less (-e, --ports, -Z) or count in the kernel (-c)" ]]
	# the text footer counts the same way
	slow_reader "$TMP/slow.txt" "$TMP/b.txt" "$TMP/done.txt"
	run_tool run --buffer-size 8K -e getsockname -o "$TMP/slow.txt" -- "${burst[@]}" "$TMP/done.txt"
	wait "$READER"
	[ "$status" -eq 0 ]
	last=$(tail -1 "$TMP/b.txt")
	grep -qE '^ +[0-9]+\.[0-9]{6} {31}--- [0-9]+ events? lost here ---$' "$TMP/b.txt"
	[[ "$last" =~ "sh exited 0 — "([0-9]+)" call"s?" traced, "([0-9]+)" event"s?" lost (ring buffer full: "([0-9]+)", too many calls in flight: "([0-9]+)", process events: "([0-9]+)")" ]]
	[ "${BASH_REMATCH[3]}" -gt 0 ]
	[ $((BASH_REMATCH[1] + BASH_REMATCH[3])) -eq 100000 ]
	[ $((BASH_REMATCH[3] + BASH_REMATCH[4] + BASH_REMATCH[5])) -eq "${BASH_REMATCH[2]}" ]
	# without -q, stderr gets the footer itself, then the advice
	[ "${stderr_lines[1]}" = "$last" ]
	[[ "${stderr_lines[2]}" =~ ^"socktrace: warning: the ring buffer (--buffer-size 8K) was full for ${BASH_REMATCH[3]} records: give it more" ]]
}

@test "run: -Z shows only the calls that failed, the others counted as not shown; report -Z of a recording shows the same" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/all.jsonl" --record "$TMP/all.rec" -- "$PEERPAIR" refused -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	run_tool run -Z --format json -o "$TMP/z.jsonl" -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	run_tool report -Z --format json -o "$TMP/rz.jsonl" "$TMP/all.rec"
	[ "$status" -eq 0 ]
	python3 - "$TMP/oracle.jsonl" "$TMP/all.jsonl" "$TMP/z.jsonl" "$TMP/rz.jsonl" <<'PY'
import json, sys
oracle, full, z, rz = ([json.loads(l) for l in open(p)] for p in sys.argv[1:])
failed = [(o["call"], o["errno"]) for o in oracle if o["ret"] < 0]
assert failed == [("connect", 111)], oracle
n = full[-1]["calls"]
assert n == len(oracle) and full[-1]["not_shown_by_result_filter"] == 0, full[-1]
for t in (z, rz):
    calls = [c for c in t if c["type"] == "call"]
    assert [(c["call"], c["errno"]) for c in calls] == failed, calls
    assert calls[0]["args"]["addr"].startswith("127.0.0.1:"), calls[0]
    end = t[-1]
    assert end["calls"] == 1 and end["not_shown_by_result_filter"] == n - 1, end
    assert end["lost"] == 0, end
PY
	# the text footer says why; -c -Z counts the failed call alone
	run_tool run -Z --color never -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[[ "$output" =~ "connect("[0-9]+", 127.0.0.1:"[0-9]+")".*"= -ECONNREFUSED" ]]
	! grep -q "socket(\|bind(\|close(" <<<"$output" || false
	[[ "${lines[-1]}" =~ "peerpair exited 0 — 1 call traced, 6 not shown (did not fail: -Z), 0 events lost" ]]
	run_tool run -c -Z -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	[[ "$output" =~ "connect "+"1 "+"1 " ]]
	! grep -qE "^(socket|bind|close) " <<<"$output" || false
	# io_uring: only the completions with a negative result
	run_tool run -Z -e io_uring --format json -o "$TMP/u.jsonl" -- "$BUILD/tests/uring_peer" scenario
	[ "$status" -eq 0 ]
	python3 - "$TMP/u.jsonl" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
reqs = [r for r in rs if r["type"] == "io_uring"]
# the scenario's RECV on a closed fd fails; its multishot ACCEPT ends cancelled at exit
assert ("RECV", -9) in [(r["op"], r["res"]) for r in reqs], reqs
assert all(r["res"] < 0 for r in reqs), reqs
assert rs[-1]["io_uring_completions"] == len(reqs), rs[-1]
assert rs[-1]["not_shown_by_result_filter"] > 0, rs[-1]
PY
}

@test "run: -z shows only the calls that succeeded (not EAGAIN), the failed ones counted; report -z the same; -e status= is -Z or -z" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/all.jsonl" --record "$TMP/all.rec" -- "$PEERPAIR" refused -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	for t in "-z:z" "-e status=successful:es" "-e status=failed:ef" "-Z:Z"; do
		run_tool run ${t%:*} --format json -o "$TMP/${t#*:}.jsonl" -- "$PEERPAIR" refused
		[ "$status" -eq 0 ]
	done
	run_tool report -z --format json -o "$TMP/rz.jsonl" "$TMP/all.rec"
	[ "$status" -eq 0 ]
	python3 - "$TMP"/{oracle,all,z,es,rz,ef,Z}.jsonl <<'PY'
import json, sys
oracle, full, z, es, rz, ef, Z = ([json.loads(l) for l in open(p)] for p in sys.argv[1:])
ok = [o["call"] for o in oracle if o["ret"] >= 0]
assert len(ok) == len(oracle) - 1 == 6 and "connect" not in ok, oracle
def calls(t):
    return [c for c in t if c["type"] == "call"]
for t in (z, es, rz):
    assert [c["call"] for c in calls(t)] == ok, calls(t)
    assert all(c["ret"] >= 0 and "errno" not in c for c in calls(t)), calls(t)
    assert t[-1]["calls"] == len(ok) and t[-1]["not_shown_by_result_filter"] == 1, t[-1]
# -e status=failed is -Z
assert [(c["call"], c["errno"]) for c in calls(ef)] == [(c["call"], c["errno"]) for c in calls(Z)] == [("connect", 111)]
PY
	run_tool run -z --color never -- "$PEERPAIR" refused
	[ "$status" -eq 0 ]
	! grep -q "ECONNREFUSED" <<<"$output" || false
	[[ "${lines[-1]}" =~ "peerpair exited 0 — 6 calls traced, 1 not shown (failed: -z), 0 events lost" ]]
	# a non-blocking socket's empty read, what -z is for; -c counts no error
	local py='
import socket
a, b = socket.socketpair()
a.setblocking(False)
for m in (b"x", None, b"y"):
    if m:
        b.send(m)
    try:
        a.recv(10)
    except BlockingIOError:
        pass'
	run_tool run -e recv --color never -- "$PYTHON3" -c "$py"
	[ "$(grep -c 'recvfrom(.*= 1 ' <<<"$output")" -eq 2 ]
	[ "$(grep -c 'recvfrom(.*= -EAGAIN' <<<"$output")" -eq 1 ]
	run_tool run -z -e recv --color never -- "$PYTHON3" -c "$py"
	[ "$(grep -c 'recvfrom(.*= 1 ' <<<"$output")" -eq 2 ]
	! grep -q "EAGAIN" <<<"$output" || false
	[[ "${lines[-1]}" =~ "— 2 calls traced, 1 not shown (failed: -z), 0 events lost" ]]
	run_tool run -c -z -e recv -- "$PYTHON3" -c "$py"
	[[ "$output" =~ "recvfrom "+"2 "+"0 " ]]
	! grep -q "ERRORS BY ERRNO" <<<"$output" || false
	# io_uring: only the completions with a result of zero or more
	run_tool run -z -e io_uring --format json -o "$TMP/u.jsonl" -- "$BUILD/tests/uring_peer" scenario
	[ "$status" -eq 0 ]
	python3 - "$TMP/u.jsonl" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
reqs = [r for r in rs if r["type"] == "io_uring"]
assert ("RECV", 5) in [(r["op"], r["res"]) for r in reqs], reqs
assert reqs and all(r["res"] >= 0 for r in reqs), reqs
assert rs[-1]["not_shown_by_result_filter"] > 0, rs[-1]
PY
}

@test "run: --min-duration shows only the calls that took that long, a call still in the kernel by its time so far; -c counts only them" {
	requires root bpf btf python3
	# recv on a waits 0.4 s; recv on c is still waiting when tracing stops at 1.2 s
	local py='
import socket, threading, time
a, b = socket.socketpair(); c, d = socket.socketpair()
threading.Thread(target=lambda: (time.sleep(0.4), b.send(b"x")), daemon=True).start()
threading.Thread(target=lambda: (time.sleep(2.5), d.send(b"y")), daemon=True).start()
for i in range(20): b.getsockname()
print(a.fileno(), c.fileno(), flush=True)
a.recv(10)
c.recv(10)'
	# the same program unfiltered: what the filter's count is checked against
	run_tool run --format json --duration 1.2 -o "$TMP/all.jsonl" -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	run_tool run --format json --duration 1.2 --min-duration 200ms -o "$TMP/m.jsonl" -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	# longer than any: nothing shown, the unfinished one counted too
	run_tool run --format json --duration 1.2 --min-duration 1s -o "$TMP/m1.jsonl" -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	python3 - "$TMP/all.jsonl" "$TMP/m.jsonl" "$TMP/m1.jsonl" $output <<'PY'
import json, sys
full, m, m1 = ([json.loads(l) for l in open(p)] for p in sys.argv[1:4])
afd, cfd = map(int, sys.argv[4:6])
n = full[-1]["calls"]
assert n > 25 and n == sum(r["type"] == "call" for r in full), full[-1]
cs = [r for r in m if r["type"] == "call"]
assert [(c["call"], c["args"]["fd"]) for c in cs] == [("recvfrom", afd), ("recvfrom", cfd)], cs
a, c = cs
assert a["ret"] == 1 and 0.3e9 < a["dur_ns"] < 1.0e9, a
assert c.get("unfinished") and 0.5e9 < c["dur_ns"] < 1.2e9, c
assert m[-1]["calls"] == 2 and m[-1]["not_shown_by_result_filter"] == n - 2, (m[-1], n)
assert not [r for r in m1 if r["type"] == "call"], m1
assert m1[-1]["calls"] == 0 and m1[-1]["not_shown_by_result_filter"] == n, (m1[-1], n)
PY
	run_tool run -c --duration 1.2 --min-duration 200ms -- "$PYTHON3" -c "$py"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "recvfrom "+"1 "+"0 " ]]
	! grep -qE "^(socketpair|getsockname|sendto) " <<<"$output" || false
}

@test "run: --ports shows only the calls on sockets with one of the ports (or in a range), the others counted; report --ports of a recording shows the same" {
	requires root bpf btf python3
	# two listeners on free ports chosen now, 10 or more apart and below the
	# ephemeral ports (so a range around one holds no client's); one exchange over each
	read -r pa pb < <("$PYTHON3" -c '
import random, socket
def free(p):
    with socket.socket() as s:
        try: s.bind(("127.0.0.1", p)); return True
        except OSError: return False
ports = []
while len(ports) < 2:
    p = random.randrange(20000, 32000, 10)
    if p not in ports and free(p): ports.append(p)
print(*ports)')
	local py='
import socket, sys
for port in map(int, sys.argv[1:]):
    l = socket.socket(); l.bind(("127.0.0.1", port)); l.listen()
    c = socket.create_connection(("127.0.0.1", port)); a, _ = l.accept()
    c.sendall(b"ping"); a.recv(4); a.sendall(b"pong"); c.recv(4)
    for s in (c, a, l): s.close()'
	run_tool run --format json -o "$TMP/all.jsonl" --record "$TMP/all.rec" -- "$PYTHON3" -c "$py" "$pa" "$pb"
	[ "$status" -eq 0 ]
	run_tool run -P "$pa" --format json -o "$TMP/p.jsonl" -- "$PYTHON3" -c "$py" "$pa" "$pb"
	[ "$status" -eq 0 ]
	run_tool run -P "$((pa - 1))-$((pa + 1))" --format json -o "$TMP/range.jsonl" -- "$PYTHON3" -c "$py" "$pa" "$pb"
	[ "$status" -eq 0 ]
	run_tool report --ports "$pa" --format json -o "$TMP/rp.jsonl" "$TMP/all.rec"
	[ "$status" -eq 0 ]
	run_tool report --ports "$((pa - 1))-$((pa + 1))" --format json -o "$TMP/rrange.jsonl" "$TMP/all.rec"
	[ "$status" -eq 0 ]
	python3 - "$TMP"/{all,p,rp,range,rrange}.jsonl "$pa" "$pb" <<'PY'
import json, sys
full, live, rep, lrange, rrange = ([json.loads(l) for l in open(p)] for p in sys.argv[1:6])
pa, pb = sys.argv[6:8]
def port(end): return end.rsplit(":", 1)[-1] if end else None
def ends(c): return {port(c["sock"].get("local")), port(c["sock"].get("peer"))}
n = full[-1]["calls"]
on_a = [c["call"] for c in full if c["type"] == "call" and "sock" in c and pa in ends(c)]
for t in (live, rep, lrange, rrange):
    cs = [c for c in t if c["type"] == "call"]
    assert all(pa in ends(c) and pb not in ends(c) for c in cs), cs
    names = [c["call"] for c in cs]
    assert names == on_a, (names, on_a)
    for want in ("bind", "listen", "connect", "accept4", "sendto", "recvfrom", "close"):
        assert want in names, (want, names)
    assert names.count("close") == 3, names
    assert t[-1]["calls"] == len(cs) and t[-1]["not_shown_by_result_filter"] == n - len(cs), (t[-1], n)
PY
	run_tool run -P "$pa,$((pb - 5))-$((pb + 5))" --color never -- "$PYTHON3" -c "$py" "$pa" "$pb"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ " calls traced, "[0-9]+" not shown (not on --ports), 0 events lost" ]]
	[[ "$output" =~ "connect("[0-9]+", 127.0.0.1:$pa)" ]]
	[[ "$output" =~ "connect("[0-9]+", 127.0.0.1:$pb)" ]]
}

@test "run: --color always colours, never and NO_COLOR do not" {
	requires root bpf btf
	run_tool run --color always -- "$PEERPAIR" refused
	[[ "$output" == *$'\e[1mconnect\e[0m('* ]]
	[[ "$output" == *$'\e[31m-ECONNREFUSED\e[0m'* ]]
	run_tool run --color never -- "$PEERPAIR" refused
	[[ "$output" != *$'\e['* ]]
	run_tool run -- "$PEERPAIR" refused
	[[ "$output" != *$'\e['* ]]
}

@test "run: payload bytes are read only with -s N: the first N each call moved, escaped, in text and JSON" {
	requires root bpf btf python3
	cat >"$TMP/pay.py" <<'PY'
import os, socket
a, b = socket.socketpair()
a.send(b"GET / HTTP/1.1\r\n\x00\xff")        # sendto
b.recv(100)                                  # recvfrom
a.sendmsg([b"hello", b" world"])             # sendmsg: its iovecs in order
b.recvmsg(100)
os.write(a.fileno(), b'q"\\')                # write on a socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
u.bind(("127.0.0.1", 0))
u.sendmsg([b"datagram"], [], 0, u.getsockname())  # sendmsg with an address
u.recvfrom(100)
os.writev(a.fileno(), [b"ab", b"", b"cd"])    # writev, an empty iovec between
b.recv(100)
a.sendmsg([b"%02d" % i for i in range(12)])   # more iovecs than are read
b.recv(100)
buf = bytearray(b"ABCDEFGH")                  # datagrams longer than the buffers:
u.sendto(b"0123456789", u.getsockname())      # MSG_TRUNC returns 10, but only
u.recv_into(buf, 4, socket.MSG_TRUNC)         # what the buffers hold was moved
u.sendto(b"0123456789", u.getsockname())
u.recvmsg_into([memoryview(buf)[:3], memoryview(buf)[5:7]], 0, socket.MSG_TRUNC)
PY
	run_tool run --format json -o "$TMP/none.jsonl" -e send,recv -- "$PYTHON3" "$TMP/pay.py"
	[ "$status" -eq 0 ]
	# never without -s
	! grep -q '"data' "$TMP/none.jsonl" || false
	run_tool run -s 64 --format json -o "$TMP/all.jsonl" -e send,recv -- "$PYTHON3" "$TMP/pay.py"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "call":
        print(r["call"], r.get("data"), r.get("data_hex", "")[:8], r.get("data_truncated", False), r["args"].get("addr", r["args"].get("msg", "-")))' "$TMP/all.jsonl"
	echo "$output" >&2
	[ "${lines[0]}" = 'sendto GET / HTTP/1.1\r\n\x00\xff 47455420 False -' ]
	[ "${lines[1]}" = 'recvfrom GET / HTTP/1.1\r\n\x00\xff 47455420 False -' ]
	[ "${lines[2]}" = 'sendmsg hello world 68656c6c False {iov=2, len=11, control=0}' ]
	[[ "${lines[3]}" =~ ^recvmsg\ hello\ world\ 68656c6c\ False ]]
	[ "${lines[4]}" = 'write q\"\\ 71225c False -' ]
	# the address and the payload side by side in one record
	[[ "${lines[5]}" =~ ^sendmsg\ datagram\ 64617461\ False\ \{127\.0\.0\.1:[0-9]+,\ iov=1,\ len=8 ]]
	[[ "${lines[6]}" =~ ^recvfrom\ datagram\ 64617461\ False ]]
	[ "${lines[7]}" = 'writev abcd 61626364 False -' ]
	# 8 iovecs read of 12: the rest is marked as cut, and so is the length
	[ "${lines[9]}" = 'sendmsg 0001020304050607 30303031 True {iov=12, len≥16, control=0}' ]
	[ "${lines[10]}" = 'recvfrom 000102030405060708091011 30303031 False -' ]
	# never the bytes past a buffer: they were not the datagram's
	[ "${lines[12]}" = 'recvfrom 0123 30313233 False -' ]
	[[ "${lines[14]}" =~ ^recvmsg\ 01234\ 30313233\ False ]]
	# -s 4: a prefix, marked; the text view shows it under the call
	run_tool run -s 4 -e send -- "$PYTHON3" "$TMP/pay.py"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "sendto(".*$'\n'" "+"» \"GET \"..." ]]
	[[ "$output" =~ "» \"hell\"..." ]]
	# -s 7 over two iovecs: the second's first bytes, and the cut marked
	run_tool run -s 7 -e sendmsg --format json -- "$PYTHON3" "$TMP/pay.py"
	[ "$status" -eq 0 ]
	[[ "$output" =~ '"data":"hello w","data_hex":"68656c6c6f2077","data_truncated":true' ]]
	# sendmmsg/recvmmsg: the first message's bytes, cut where the other 19 begin
	# (their lengths and addresses fill most of a record: what room is left)
	run_tool run -s 256 -e sendmmsg,recvmmsg --format json -- "$BUILD/tests/multiplex" mmsg
	[ "$status" -eq 0 ]
	[ "$(grep -cE '"call":"(send|recv)mmsg".*"data":"0123456789","data_hex":"30313233343536373839","data_truncated":true' <<<"$output")" -eq 2 ]
	RUN_STATUS=2 run_tool run -s 0 -- true
	[[ "$stderr" =~ "invalid payload size '0' (expected 1 to 256 bytes)" ]]
	RUN_STATUS=2 run_tool run -s x -- true
	# strace's -s 4096 habit: as much as socktrace keeps, said
	run_tool run -s 4096 -e send --format json -- "$PYTHON3" -c 'import socket
a, b = socket.socketpair(); a.send(b"x" * 1000)'
	[ "$status" -eq 0 ]
	[ "${stderr_lines[0]}" = "socktrace: warning: -s 4096: socktrace keeps at most 256 bytes of each call: 256 it is" ]
	[[ "$output" =~ '"call":"sendto"'.*'"data":"'x{256}'","data_hex":"'(78){256}'","data_truncated":true' ]]
}

@test "run: -x and -xx print -s's bytes in hex as strace's do: a binary payload whole (text with white space stays text), or every one; live, in the sequence view and in report" {
	requires root bpf btf python3
	cat >"$TMP/bin.py" <<'PY'
import socket
a, b = socket.socketpair()
a.send(b"GET /\r\n\t")
b.recv(100)
a.send(b"\x00\x01hi\xff")
b.recv(100)
PY
	run_tool run -q -s 16 -e sendto --record "$TMP/bin.rec" -- "$PYTHON3" "$TMP/bin.py"
	[ "$status" -eq 0 ]
	[ "$(grep '»' <<<"$output" | tr -d ' ')" = "$(printf '%s\n' '»"GET/\r\n\t"' '»"\x00\x01hi\xff"')" ]
	for x in -x --strings-in-hex --strings-in-hex=non-ascii; do
		run_tool run -q -s 16 $x -e sendto -- "$PYTHON3" "$TMP/bin.py"
		[ "$status" -eq 0 ]
		[ "$(grep '»' <<<"$output" | tr -d ' ')" = "$(printf '%s\n' '»"GET/\r\n\t"' '»"\x00\x01\x68\x69\xff"')" ]
	done
	want=$(printf '%s\n' '»"\x47\x45\x54\x20\x2f\x0d\x0a\x09"' '»"\x00\x01\x68\x69\xff"')
	for x in -xx "-x -x" --strings-in-hex=all; do
		run_tool run -q -s 16 $x -e sendto -- "$PYTHON3" "$TMP/bin.py"
		[ "$status" -eq 0 ]
		[ "$(grep '»' <<<"$output" | tr -d ' ')" = "$want" ]
	done
	# the sequence view's rows, and a recording's bytes
	COLUMNS=160 run_tool run -q -s 16 -xx --view sequence -e sendto -- "$PYTHON3" "$TMP/bin.py"
	[ "$(grep -o '» ".*' <<<"$output" | tr -d ' ')" = "$want" ]
	run_tool report -q -xx "$TMP/bin.rec"
	[ "$status" -eq 0 ]
	[ "$(grep '»' <<<"$output" | tr -d ' ')" = "$want" ]
	# what has no bytes to print, or prints them otherwise: one line, exit 2
	RUN_STATUS=2 run_tool run -x -- true
	[ "${stderr_lines[0]}" = "socktrace run: -x prints the bytes -s keeps in hex: add -s N" ]
	RUN_STATUS=2 run_tool run -s 8 -x --format json -- true
	[ "${stderr_lines[0]}" = "socktrace run: -x is how the text views print the bytes: --format json has them in hex as data_hex" ]
	RUN_STATUS=2 run_tool run -s 8 --strings-in-hex=octal -- true
	[ "${stderr_lines[0]}" = "socktrace run: invalid --strings-in-hex 'octal' (expected non-ascii-chars, non-ascii, all)" ]
}
