#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# `socktrace attach`: tracing processes that were already running.

load helpers

start_server() {
	"$PYTHON3" "$TOP/tests/helpers/echo_server.py" "$TMP/port" &
	SERVER=$!
	PIDS+=($SERVER)
	for ((i = 0; i < 100; i++)); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	PORT=$(cat "$TMP/port")
	[ -n "$PORT" ]
}

@test "attach: a running server's accept/recv/send/close appear, and the close of a socket opened before attaching" {
	requires root bpf btf python3 nc
	start_server
	"$TOOL_BIN" attach --format json -o "$TMP/trace.jsonl" "$SERVER" 2>"$TMP/err" &
	tracer=$!
	PIDS+=($tracer)
	wait_for_line "$TMP/trace.jsonl" '"type":"start"'
	run -0 sh -c "printf hello | nc -N 127.0.0.1 $PORT"
	[ "$output" = hello ]
	printf quit | nc -N 127.0.0.1 "$PORT" || true
	rc=0
	wait $tracer || rc=$?
	[ "$rc" -eq 0 ]
	python3 - "$TMP/trace.jsonl" "$SERVER" "$PORT" <<'PY'
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
pid, port = int(sys.argv[2]), sys.argv[3]
calls = [r for r in rs if r["type"] == "call"]
assert all(c["pid"] == pid for c in calls), "calls of another process"
names = [c["call"] for c in calls]
# first connection: accept, recv "hello", echo it, close; then quit closes both
i = names.index("accept4")
a = calls[i]
assert a["args"]["fd"] >= 3 and a["ret"] > a["args"]["fd"], a
assert a["sock"]["local"] == "127.0.0.1:" + port, a["sock"]
conn = a["ret"]
recv = next(c for c in calls[i:] if c["call"] == "recvfrom")
assert recv["args"]["fd"] == conn and recv["ret"] == 5, recv
send = next(c for c in calls[i:] if c["call"] == "sendto")
assert send["args"]["fd"] == conn and send["ret"] == 5 and send["sock"]["peer"] == a["args"]["addr"], send
closes = [c for c in calls if c["call"] == "close"]
listener = [c for c in closes if c["args"]["fd"] == a["args"]["fd"]]
assert len(listener) == 1, closes
assert listener[0]["sock"]["kind"] == "TCP" and listener[0]["sock"]["local"] == "127.0.0.1:" + port, listener
assert listener[0]["sock"]["state"] == "LISTEN", listener
end = rs[-1]
assert end["type"] == "end" and "exited" in end["what"] and end["lost"] == 0, end
PY
	# into a file, the terminal still hears that it attached and what it counted
	calls=$(tail -1 "$TMP/trace.jsonl" | sed 's/.*"calls":\([0-9]*\).*/\1/')
	[ "$(sed -n 1p "$TMP/err")" = "socktrace: tracing python3 (pid $SERVER) into '$TMP/trace.jsonl'; Ctrl-C to stop" ]
	[[ "$(sed -n 2p "$TMP/err")" =~ ^"socktrace: python3 (pid $SERVER) exited — $calls calls traced, 0 events lost"$ ]]
}

@test "attach: by name, exact like pgrep -x; --duration ends it with the footer; options may follow the targets" {
	requires root bpf btf
	cp "$(command -v sleep)" "$TMP/sk-sleeper"
	"$TMP/sk-sleeper" 30 &
	PIDS+=($!)
	run_tool attach --duration 0.3 sk-sleeper
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^"socktrace: tracing sk-sleeper (pid $!) via raw syscall tracepoints; kernel path via " ]]
	[[ "${lines[-1]}" =~ ^"socktrace: detached from sk-sleeper (pid $!) — 0 calls traced, 0 events lost"$ ]]
	# options after the targets, as in the example of attach --help
	run_tool attach sk-sleeper --duration 0.3 -e accept,close
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^"socktrace: detached from sk-sleeper (pid $!) — 0 calls traced" ]]
	run_tool attach $! -q --duration 0.3
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	RUN_STATUS=1 run_tool attach --duration 0.3 sk-sleepe
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: no process named 'sk-sleepe' (names match exactly, as pgrep -x does; try pgrep -f to find its pid)" ]
	# a name longer than the kernel's 15 bytes: its program's whole name, where pgrep finds none
	cp "$(command -v sleep)" "$TMP/sk-a-rather-long-name"
	"$TMP/sk-a-rather-long-name" 30 &
	PIDS+=($!)
	run_tool attach --duration 0.3 sk-a-rather-long-name
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^"socktrace: tracing sk-a-rather-lon (pid $!) via " ]]
	RUN_STATUS=1 run_tool attach --duration 0.3 sk-a-rather-long-nam
	[ "$status" -eq 1 ]
}

@test "attach :PORT: the processes whose socket listens on it, a forked worker sharing it too; UDP too; nothing there is one line" {
	requires root bpf btf python3
	# a listener and the child it forked, both holding the socket; a bound UDP socket apart
	"$PYTHON3" -c 'import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
if os.fork() == 0:
    u.close(); time.sleep(30); sys.exit()
open(sys.argv[1] + ".tmp", "w").write("%d %d\n" % (s.getsockname()[1], u.getsockname()[1]))
os.rename(sys.argv[1] + ".tmp", sys.argv[1])
time.sleep(30)' "$TMP/ports" &
	PIDS+=($!)
	server=$!
	for ((i = 0; i < 100; i++)); do [ -s "$TMP/ports" ] && break; sleep 0.05; done
	read -r tcp udp <"$TMP/ports"
	worker=$(pgrep -P "$server")
	PIDS+=($worker)
	run_tool attach ":$tcp" --duration 0.3 --format json -o "$TMP/t.jsonl"
	[ "$status" -eq 0 ]
	run python3 -c 'import json,sys; print(sorted(json.loads(open(sys.argv[1]).readline())["pids"]))' "$TMP/t.jsonl"
	[ "$output" = "$(python3 -c 'import sys; print(sorted(map(int, sys.argv[1:])))' "$server" "$worker")" ]
	run_tool attach ":$udp" --duration 0.3
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ ^"socktrace: tracing python3 (pid $server) via " ]]
	RUN_STATUS=1 run_tool attach :1 --duration 0.3
	[ "$stderr" = "socktrace: nothing listens on port 1 (TCP or UDP, in any network namespace)" ]
	RUN_STATUS=2 run_tool attach :65536
	[ "${stderr_lines[0]}" = "socktrace attach: invalid port in ':65536' (expected :1 to :65535 or a service name such as :http, a port a server listens on)" ]
	# a service name is its port in /etc/services (clc-build-daemon is 8990), as for ss and lsof
	RUN_STATUS=1 run_tool attach :clc-build-daemon --duration 0.3
	[ "$stderr" = "socktrace: nothing listens on port 8990 (TCP or UDP, in any network namespace)" ]
	RUN_STATUS=2 run_tool attach :no-such-service
	[[ "${stderr_lines[0]}" == "socktrace attach: invalid port in ':no-such-service' "* ]]
}

@test "attach :PORT: a server in a network namespace of its own (a container's) is found there, said so, and traced" {
	requires root bpf btf python3
	# a port free here; in its own namespace the server's loopback is its own
	port=$("$PYTHON3" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	unshare -n sh -c 'ip link set lo up && exec "$1" -c "$2" "$3"' sh "$PYTHON3" 'import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen()
for _ in range(100):
    c, _ = s.accept(); c.sendall(c.recv(64)); c.close()' "$port" &
	PIDS+=($!)
	server=$!
	for ((i = 0; i < 100; i++)); do
		nsenter -n -t "$server" ss -ltnH "sport = :$port" | grep -q "$port" && break
		sleep 0.05
	done
	"$TOOL_BIN" attach ":$port" -e accept,recv,send --duration 3 >"$TMP/t.txt" 2>"$TMP/err.txt" &
	PIDS+=($!)
	tracer=$!
	wait_for_line "$TMP/t.txt" "TIME\(s\)"
	# a client inside that namespace, as the container's own would be
	nsenter -n -t "$server" "$PYTHON3" -c 'import socket, sys
c = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); c.sendall(b"netns!"); assert c.recv(64) == b"netns!"' "$port"
	kill -INT "$tracer"
	wait "$tracer"
	cat "$TMP/err.txt" "$TMP/t.txt" >&2
	grep -qx "socktrace: port $port listens in another network namespace than socktrace's (a container's?): tracing what holds it there" "$TMP/err.txt"
	grep -qE " $server +$server python3 +accept4?\([0-9]+, .*127\.0\.0\.1:$port → 127\.0\.0\.1:[0-9]+ += [0-9]+ " "$TMP/t.txt"
	grep -qE " $server +$server python3 +recvfrom\([0-9]+, 64 B\) .*= 6 " "$TMP/t.txt"
	grep -qE " $server +$server python3 +sendto\([0-9]+, 6 B\) .*= 6 " "$TMP/t.txt"
}

@test "attach: -p PID,PID as strace takes it, mixed with -p again and a name: every one traced, no other" {
	requires root bpf btf python3
	# four clients connecting to a refused port every 0.1 s; the fourth is not traced
	for i in 1 2 3 4; do
		"$PYTHON3" -c 'import socket,time
for _ in range(100):
    s = socket.socket(); s.connect_ex(("127.0.0.1", 1)); s.close(); time.sleep(0.1)' &
		PIDS+=($!)
		eval "P$i=$!"
	done
	cp "$(command -v sleep)" "$TMP/sk-named"
	"$TMP/sk-named" 30 &
	PIDS+=($!)
	run_tool attach -p "$P1,$P2" --format json -o "$TMP/p.jsonl" --duration 0.6 -p "$P3" sk-named -e connect
	[ "$status" -eq 0 ]
	# each named as itself, not all by the first one's name
	[[ "${stderr_lines[0]}" =~ "tracing python3 (pids $P1, $P2, $P3), sk-named (pid $!) into" ]]
	[[ "${stderr_lines[-1]}" =~ "detached from python3 (pids $P1, $P2, $P3), sk-named (pid $!) — " ]]
	run python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["pids"])' "$TMP/p.jsonl"
	[ "$output" = "[$P1, $P2, $P3, $!]" ]
	run python3 -c 'import json,sys; print(" ".join(sorted({str(r["pid"]) for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call" and r["call"] == "connect" and r.get("errno") == 111})))' "$TMP/p.jsonl"
	[ "$output" = "$(printf '%s\n' "$P1" "$P2" "$P3" | sort | paste -sd' ')" ]
}

@test "attach: a thread's id (as top -H shows it) traces its process, every thread, and says so" {
	requires root bpf btf python3
	# the main thread and a second one each connect to a refused port every 0.1 s
	python3 -c 'import socket, threading, time, sys
def loop():
    for _ in range(300):
        s = socket.socket(); s.connect_ex(("127.0.0.1", 1)); s.close(); time.sleep(0.1)
t = threading.Thread(target=loop); t.start()
open(sys.argv[1], "w").write(str(threading.get_native_id() and t.native_id))
loop()' "$TMP/tid" &
	PIDS+=($!)
	pid=$!
	for ((i = 0; i < 100; i++)); do [ -s "$TMP/tid" ] && break; sleep 0.05; done
	tid=$(cat "$TMP/tid")
	[ -n "$tid" ]
	[ "$tid" != "$pid" ]
	run_tool attach "$tid" --format json -o "$TMP/t.jsonl" --duration 0.6 -e connect
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ "socktrace: $tid is a thread of python3 (pid $pid): tracing the whole process, every thread" ]]
	run python3 -c 'import json,sys
r = [json.loads(l) for l in open(sys.argv[1])]
print(r[0]["pids"], sorted({(c["pid"], c["tid"]) for c in r if c["type"] == "call" and c.get("errno") == 111}))' "$TMP/t.jsonl"
	[ "$output" = "[$pid] [($pid, $pid), ($pid, $tid)]" ]
}

@test "attach: a process that does not exist, a kernel thread, a zombie, by pid or by name: one line, exit 1" {
	requires root bpf btf python3
	pid=4194000
	while [ -e /proc/$pid ]; do pid=$((pid - 1)); done
	run_tool attach $pid
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: no process with pid $pid" ]
	run_tool attach 2
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid 2 is a kernel thread: it makes no socket calls to trace" ]
	# by name, the one that has it says why, not "no process named"
	run_tool attach "$(cat /proc/2/comm)"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid 2 is a kernel thread: it makes no socket calls to trace" ]
	"$PYTHON3" -c 'import os, time
pid = os.fork()
if pid == 0:
    open("/proc/self/comm", "w").write("sk-zombie")
    os._exit(0)
print(pid, flush=True); time.sleep(30)' >"$TMP/zombie" &
	PIDS+=($!)
	wait_for_line "$TMP/zombie" '^[0-9]+$'
	z=$(cat "$TMP/zombie")
	for ((i = 0; i < 100; i++)); do grep -q '^State:.*Z' /proc/$z/status && break; sleep 0.02; done
	run_tool attach "$z"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid $z has exited (a zombie waiting for its parent): nothing to trace" ]
	run_tool attach sk-zombie
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid $z has exited (a zombie waiting for its parent): nothing to trace" ]
	# more processes of one name than attach takes: said, not a part traced unsaid
	"$BUILD/tests/sleepers" 1030 sk-many >"$TMP/sleepers" &
	PIDS+=($!)
	wait_for_line "$TMP/sleepers" '^ready$'
	run_tool attach sk-many --duration 0.2
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: 'sk-many' brings the processes to trace past 1024, the most socktrace attaches to at once: name fewer" ]
	assert_nothing_loaded
}

@test "attach: a call the process was already in is traced from the attach; still in it at the end, it shows unfinished, its path unseen as it began before; a recording keeps both" {
	requires root bpf btf python3
	# one thread waits in accept for good; another waits in recv until a
	# third sends, 1.5 s after it starts
	"$PYTHON3" -c '
import socket, threading, time
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen()
a, b = socket.socketpair()
threading.Thread(target=lambda: (time.sleep(1.5), b.send(b"x")), daemon=True).start()
threading.Thread(target=lambda: a.recv(10), daemon=True).start()
print(l.fileno(), a.fileno(), flush=True)
l.accept()' >"$TMP/fds" &
	PIDS+=($!)
	wait_for_line "$TMP/fds" '^[0-9]+ [0-9]+$'
	sleep 0.3
	run_tool attach $! --duration 2.5 --format json -o "$TMP/a.jsonl" --record "$TMP/a.rec"
	[ "$status" -eq 0 ]
	# a recording keeps both as they were shown
	run_tool report "$TMP/a.rec" --format json -o "$TMP/r.jsonl"
	[ "$status" -eq 0 ]
	cmp "$TMP/a.jsonl" "$TMP/r.jsonl"
	python3 - "$TMP/a.jsonl" $(cat "$TMP/fds") <<'PY'
import json, sys
lfd, afd = map(int, sys.argv[2:])
cs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"]
acc = [c for c in cs if c["call"] == "accept4"]
rcv = [c for c in cs if c["call"] == "recvfrom"]
assert len(acc) == 1 and len(rcv) == 1, cs
a, r = acc[0], rcv[0]
# in accept from before the attach to after the end
assert a["args"]["fd"] == lfd and a["unfinished"] and a["began_before_trace"], a
assert a["ret"] is None and 2.0e9 < a["dur_ns"] < 3.5e9, a
# it went to sleep before the hooks were there: said so, not that no hook ran in it
assert a["kernel_path"]["note"] == "kernel path not visible: the call began before tracing did", a
# in recv from before the attach, returned during the trace: its time counts from the attach
assert r["args"]["fd"] == afd and r["ret"] == 1 and r["began_before_trace"], r
assert "unfinished" not in r and 0.5e9 < r["dur_ns"] < 1.5e9, r
PY
}

@test "attach: a select server waiting since before the attach: what its entry read shows as unknown, not as NULL" {
	requires root bpf btf python3
	"$TOOL_BIN" serve select >"$TMP/serve" 2>&1 &
	PIDS+=($!)
	wait_for_line "$TMP/serve" "echo server"
	sleep 0.2
	run_tool attach $! --duration 0.5 --format json -o "$TMP/s.jsonl"
	[ "$status" -eq 0 ]
	python3 - "$TMP/s.jsonl" <<'PY'
import json, sys
cs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call"]
assert len(cs) == 1, cs
c = cs[0]
assert c["call"] in ("select", "pselect6") and c["unfinished"] and c["began_before_trace"], c
# the sets and the timeout were read at the call's entry, before the attach
assert [c["args"][k] for k in ("readfds", "writefds", "exceptfds", "timeout")] == ["?"] * 4, c
PY
}

@test "attach: ends by itself when every traced process has exited" {
	requires root bpf btf
	sleep 2 &
	p=$!
	run_tool attach "$p"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ "sleep (pid $p) exited — 0 calls traced, 0 events lost" ]]
}
