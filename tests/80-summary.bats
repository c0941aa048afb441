#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The profile views, counted in the kernel: -c, --histogram, --by conn, --interval.

load helpers

# 100 sends of 64 B over a unix socket pair, received in 100 reads
WORKLOAD='import socket
a, b = socket.socketpair()
for i in range(100):
    a.send(b"x" * 64)
    assert len(b.recv(64)) == 64'

@test "summary: -c counts exactly the scripted calls and bytes; percentiles are ordered" {
	requires root bpf btf python3
	run_tool run -c --format json -e send,recv -- "$PYTHON3" -c "$WORKLOAD"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
s = next(r for r in recs if r["type"] == "summary")
rows = {c["call"]: c for c in s["calls"]}
assert set(rows) == {"sendto", "recvfrom"}, rows
for name in rows:
    r = rows[name]
    assert r["calls"] == 100 and r["bytes"] == 6400 and r["errors"] == 0, r
    assert 0 < r["p50_ns"] <= r["p99_ns"] <= r["max_ns"], r
    assert r["avg_ns"] * 100 <= r["total_ns"] < (r["avg_ns"] + 1) * 100, r
end = recs[-1]
assert end["type"] == "end" and end["calls"] == 200, end
# nothing else: no per-call records in a summary
assert not [r for r in recs if r["type"] in ("call", "exec")], recs' <<<"$output"
	run_tool run -c --sort calls -e send,recv -- "$PYTHON3" -c "$WORKLOAD"
	[ "$status" -eq 0 ]
	# no path programs are loaded to count: the header does not promise paths
	[[ "${lines[0]}" =~ "via raw syscall tracepoints; counted in the kernel, no kernel paths" ]]
	[[ "${lines[1]}" =~ ^CALL\ +CALLS\ +ERRORS\ +TOTAL\ +AVG\ +P50\ +P99\ +MAX\ +BYTES$ ]]
	[[ "${lines[2]}" =~ ^(sendto|recvfrom)\ +100\ +0\ .*\ 6400$ ]]
	[[ "$output" =~ "total                        200       0" ]]
}

# bytes_are MODE CONNS CALLS: the JSON summary on stdin has, with MODE
# --by=conn, the connections' (bytes in, bytes out) CONNS, else each call's
# (name, calls, bytes) CALLS
bytes_are() {
	local got
	got=$("$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
if sys.argv[1] == "--by=conn":
    print(sorted((c["bytes_in"], c["bytes_out"]) for c in s["connections"]))
else:
    print(sorted((c["call"], c["calls"], c["bytes"]) for c in s["calls"]))' "$1")
	[ "$got" = "$([ "$1" = --by=conn ] && echo "$2" || echo "$3")" ] || die "$1: $got"
}

@test "summary: a peek (MSG_PEEK) is a call that takes no byte: -c, -C and --by conn count each byte once" {
	requires root bpf btf python3
	# each message peeked at (recv, then recvmsg), then read: 640 bytes came in, not 1920
	script='import socket
a, b = socket.socketpair()
for i in range(10):
    a.send(b"x" * 64)
    assert len(b.recv(64, socket.MSG_PEEK)) == 64
    assert len(b.recvmsg(64, 0, socket.MSG_PEEK)[0]) == 64
    assert len(b.recv(64)) == 64'
	for mode in -c -C --by=conn; do
		run_tool run $mode -q --format json -e send,recv -- "$PYTHON3" -c "$script"
		[ "$status" -eq 0 ]
		bytes_are "$mode" "[(0, 640), (640, 0)]" \
			"[('recvfrom', 20, 640), ('recvmsg', 10, 0), ('sendto', 10, 640)]" <<<"$output"
	done
}

@test "summary: sendmmsg and recvmmsg count the bytes of their messages, not how many; -c, -C, --by conn and report -c alike" {
	requires root bpf btf python3
	# one sendmmsg of 20 datagrams of 10 bytes, one recvmmsg taking them: more
	# than the 8 lengths a record shows, so the kernel sums them all
	run_tool run --record "$TMP/m.rec" -o /dev/null -- "$BUILD/tests/multiplex" mmsg
	[ "$status" -eq 0 ]
	for mode in -c -C --by=conn report; do
		if [ "$mode" = report ]; then
			run_tool report -c -q --format json -e sendmmsg,recvmmsg "$TMP/m.rec"
		else
			run_tool run $mode -q --format json -e sendmmsg,recvmmsg -- "$BUILD/tests/multiplex" mmsg
		fi
		[ "$status" -eq 0 ]
		bytes_are "$mode" "[(0, 200), (200, 0)]" "[('recvmmsg', 1, 200), ('sendmmsg', 1, 200)]" \
			<<<"$output"
	done
}

# known failures: 3 connects refused, 5 reads of an empty non-blocking socket, 2 binds of a taken port
ERRORS='import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
for i in range(3):
    try: socket.create_connection(("127.0.0.1", port))
    except ConnectionRefusedError: pass
a, b = socket.socketpair(); a.setblocking(False)
for i in range(5):
    try: a.recv(1)
    except BlockingIOError: pass
for i in range(2):
    try: socket.socket().bind(("127.0.0.1", port))
    except OSError: pass'

@test "summary: -c says which errors each call had, by errno; report -c of a recording says the same; strace -S key names sort it" {
	requires root bpf btf python3
	run_tool run -c --format json -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
rows = {c["call"]: c for c in s["calls"]}
assert rows["connect"]["errors"] == 3 and rows["connect"]["errnos"] == {"ECONNREFUSED": 3}, rows
assert rows["recvfrom"]["errnos"] == {"EAGAIN": 5}, rows
# the first bind took the port
assert rows["bind"]["calls"] == 3 and rows["bind"]["errnos"] == {"EADDRINUSE": 2}, rows' <<<"$output"
	run_tool run -q -o /dev/null --record "$TMP/e.rec" -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	run_tool report -c --sort name "$TMP/e.rec"
	[ "$status" -eq 0 ]
	block=$(grep -A3 '^CALL  *ERRORS BY ERRNO$' <<<"$output")
	[ "$block" = "CALL                   ERRORS BY ERRNO
bind                   EADDRINUSE 2
connect                ECONNREFUSED 3
recvfrom               EAGAIN 5" ]
	# strace -c's habits: -S with its key names, -w (the times are wall-clock anyway)
	for keys in "name:syscall" "calls:count" "errors:error" "avg:avg-time" "max:longest" "time:total_time"; do
		run_tool report -c --sort "${keys%:*}" "$TMP/e.rec"
		local want=$output
		run_tool report -c -S "${keys#*:}" "$TMP/e.rec"
		[ "$status" -eq 0 ]
		[ "$output" = "$want" ]
	done
	run_tool run -c -w -S count -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	[[ "${lines[2]}" =~ ^recvfrom\ +5\  ]]
	run_tool report -c -S min-time "$TMP/e.rec"
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "invalid sort key 'min-time' (expected time, calls, errors, avg, p99, max, bytes, name)" ]]
}

@test "summary: -C prints the timeline, then the table counted from the calls it showed; -Z narrows both; report -C the same" {
	requires root bpf btf python3
	run_tool run -C --format json -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
recs = [json.loads(l) for l in sys.stdin]
calls = [r for r in recs if r["type"] == "call"]
s = next(r for r in recs if r["type"] == "summary")
assert recs[-1]["type"] == "end" and recs[-2] is s, recs[-2:]
rows = {c["call"]: c for c in s["calls"]}
for name in ("connect", "recvfrom", "bind"):
    mine = [c for c in calls if c["call"] == name]
    assert rows[name]["calls"] == len(mine), (name, rows[name], len(mine))
    assert rows[name]["errors"] == sum("errno" in c for c in mine), rows[name]
assert rows["bind"]["calls"] == 3 and rows["bind"]["errnos"] == {"EADDRINUSE": 2}, rows' <<<"$output"
	# only the failed calls: the table counts what the timeline shows
	run_tool run -C -Z --sort name -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	[[ "$output" =~ " bind("[0-9]+", 127.0.0.1:"[0-9]+") "\ +"= -EADDRINUSE " ]]
	[[ "$output" =~ $'\n\n'"CALL "\ +"CALLS  ERRORS "[^$'\n']*$'\n'"bind "\ +"2       2 " ]]
	[[ "$output" =~ $'\n'"total "\ +"10      10 " ]]
	run_tool run -q -o /dev/null --record "$TMP/c.rec" -e connect,recv,bind -- "$PYTHON3" -c "$ERRORS"
	[ "$status" -eq 0 ]
	run_tool report -C -Z --sort name "$TMP/c.rec"
	[ "$status" -eq 0 ]
	[[ "$output" =~ $'\n\n'"CALL "\ +"CALLS  ERRORS "[^$'\n']*$'\n'"bind "\ +"2       2 " ]]
	[[ "$output" =~ $'\n'"total "\ +"10      10 " ]]
	RUN_STATUS=2 run_tool run -C -c -- true
	[[ "${stderr_lines[0]}" =~ ^"socktrace run: -C is the timeline with the table at its end" ]]
	RUN_STATUS=2 run_tool demo --compare -C
	[ "${stderr_lines[0]}" = "socktrace demo: --compare is a table of every backend already: -C adds a table to a timeline" ]
}

@test "summary: --histogram buckets sum to the call count" {
	requires root bpf btf python3
	run_tool run --histogram --format json -e send -- "$PYTHON3" -c "$WORKLOAD"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
row = s["calls"][0]
assert row["call"] == "sendto" and sum(b["count"] for b in row["histogram_us"]) == 100, row
assert all(b["hi"] == 2 * b["lo"] or b["lo"] == 0 for b in row["histogram_us"]), row' <<<"$output"
	run_tool run --histogram -e send -- "$PYTHON3" -c "$WORKLOAD"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "sendto: 100 calls, latency" ]]
	[[ "$output" =~ "µs) "\ +[0-9]+\ \|█ ]]
	# a call of over half a second: its range is the widest, and every bar
	# of the histogram still starts in one column
	run_tool run --histogram -e poll -- "$PYTHON3" -c 'import select; p = select.poll(); p.poll(0); p.poll(600)'
	[ "$status" -eq 0 ]
	[[ "$output" =~ "[524288, 1048576µs)          1 |█" ]]
	"$PYTHON3" -c '
import sys
rows = [l for l in sys.stdin.read().split("poll: 2 calls, latency\n")[1].splitlines() if "|" in l]
assert "1048576µs)" in rows[-1] and len({r.index("|") for r in rows}) == 1, rows' <<<"$output"
}

@test "summary: --by conn shows each connection once with its bytes each way, 300 short ones too, an io_uring server's too" {
	requires root bpf btf python3
	"$TOOL_BIN" serve epoll --port 0 >"$TMP/server.out" &
	server=$!
	PIDS+=($server)
	for _ in $(seq 50); do port=$(grep -oE ':[0-9]+ \(Ctrl-C' "$TMP/server.out" | tr -dc 0-9); [ -n "$port" ] && break; sleep 0.1; done
	run_tool run --by conn --sort calls --format json -- "$TOOL_BIN" load --port "$port" --connections 3 --requests 10 --size 100
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
port = sys.argv[1]
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"].endswith(":" + port)]
assert len(conns) == 3, s["connections"]
assert len({c["local"] for c in conns}) == 3, conns
for c in conns:
    assert c["bytes_out"] == 1000 and c["bytes_in"] == 1000 and c["closed"], c
    assert c["kind"] == "TCP" and c["calls"] >= 21, c
calls = [c["calls"] for c in s["connections"]]
assert calls == sorted(calls, reverse=True), calls' "$port" <<<"$output"
	# 300 short connections one after another: the kernel gives a closed socket's
	# memory to the next, and each must still be its own row
	run_tool run --by conn --sort name --format json -- "$PYTHON3" -c 'import socket, sys
for i in range(300):
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1]))); c.sendall(b"x" * 64)
    assert len(c.recv(64)) == 64; c.close()' "$port"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"].endswith(":" + sys.argv[1])]
assert len(conns) == 300 and len({c["local"] for c in conns}) == 300, len(conns)
# --sort name: by their ends, the ports as numbers
ports = [int(c["local"].rsplit(":", 1)[1]) for c in s["connections"] if c["local"].startswith("127.0.0.1:")]
assert ports == sorted(ports), ports
assert all(c["bytes_out"] == 64 and c["bytes_in"] == 64 and c["closed"] for c in conns), conns
assert s["connections_evicted"] == 0, s' "$port" <<<"$output"
	# so too where the closes are not counted: -e without close, -Z (a close
	# that succeeds); each close still ends its row
	for filter in "-e send,recv" "-Z"; do
		run_tool run --by conn $filter --format json -- "$PYTHON3" -c 'import socket, sys
for i in range(100):
    c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
    try: c.recv(64, socket.MSG_DONTWAIT)
    except BlockingIOError: pass
    c.sendall(b"x" * 64); assert len(c.recv(64)) == 64; c.close()' "$port"
		[ "$status" -eq 0 ]
		"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"].endswith(":" + sys.argv[1])]
assert len(conns) == 100 and all(c["closed"] for c in conns), (sys.argv[2], len(conns), conns[:3])
calls = {c["call"]: c["calls"] for c in s["calls"]}
if sys.argv[2] == "-Z":
    assert all(c["calls"] == 1 and c["bytes_in"] == 0 for c in conns), conns[:3]
    assert calls == {"recvfrom": 100}, calls
else:
    assert all(c["bytes_out"] == 64 and c["bytes_in"] == 64 for c in conns), conns[:3]
    assert "close" not in calls, calls' "$port" "$filter" <<<"$output"
	done
	kill $server
	wait $server || true
	# an io_uring server's connections, made and served by requests, not syscalls
	run_tool demo io_uring --by conn --format json
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"]]
assert len(conns) == 2, s["connections"]
# accept, 3 recvs of 16 B and the one that reads the end, 3 sends, close
assert all(c["bytes_in"] == 48 and c["bytes_out"] == 48 and c["calls"] == 9 and c["closed"] for c in conns), conns' <<<"$output"
}

@test "summary: --by conn says 'at exit' of a connection its last process exited holding, 'open' of one a live process used last; live and from a recording" {
	requires root bpf btf python3
	cat >"$TMP/exit.py" <<'PY'
import os, socket, sys, time
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
c = socket.create_connection(s.getsockname()); a, _ = s.accept()
print(c.getsockname()[1], flush=True)
if os.fork() == 0:
    a.send(b"y"); time.sleep(float(sys.argv[1])); os._exit(0)
c.recv(1)
os._exit(0) # the parent exits holding them all
PY
	check() {
		"$PYTHON3" -c '
import json, sys
port = sys.argv[1]
s = next(json.loads(l) for l in open(sys.argv[2]) if "\"summary\"" in l)
rows = {(c["local"], c["peer"]): c for c in s["connections"]}
state = lambda c: "closed" if c["closed"] else "at exit" if c["at_exit"] else "open"
got = sorted((state(c), c["local"].endswith(":" + port), c["peer"].endswith(":" + port)) for c in rows.values())
# the client end and the listener: the parent used them last; the child sent on the server end
assert got == [("at exit", False, False), ("at exit", True, False), ("open", False, True)], got' "$1" "$2"
	}
	run_tool run --by conn --duration 1 --format json -o "$TMP/live.jsonl" -- "$PYTHON3" "$TMP/exit.py" 3
	[ "$status" -eq 0 ]
	check "$output" "$TMP/live.jsonl"
	run_tool run --record "$TMP/exit.rec" --duration 1 -q -o /dev/null -- "$PYTHON3" "$TMP/exit.py" 3
	[ "$status" -eq 0 ]
	port=$output
	run_tool report --by conn --format json -o "$TMP/rec.jsonl" "$TMP/exit.rec"
	[ "$status" -eq 0 ]
	check "$port" "$TMP/rec.jsonl"
	# and the table says it in words
	run_tool run --by conn -- "$PYTHON3" "$TMP/exit.py" 0
	[ "$status" -eq 0 ]
	[ "$(grep -c ' at exit$' <<<"$output")" -eq 3 ]
}

@test "summary: --interval prints a table per interval while the command runs" {
	requires root bpf btf python3
	run_tool run --interval 0.2 -e send -- "$PYTHON3" -c 'import socket, time
a, b = socket.socketpair()
for i in range(10):
    a.send(b"x"); b.recv(1); time.sleep(0.1)'
	[ "$status" -eq 0 ]
	# every table is an interval's, the last one cut short by the exit; together
	# they count each send once, and the footer counts them all
	[ "$(grep -c -- ' s: the last ' <<<"$output")" -ge 4 ]
	[ "$(grep -c -- ' s: the last ' <<<"$output")" -eq "$(grep -c '^CALL ' <<<"$output")" ]
	[ "$(awk '$1 == "sendto" { n += $2 } END { print n }' <<<"$output")" -eq 10 ]
	[[ "${lines[-1]}" =~ " exited 0 — 10 calls traced, 0 events lost" ]]
	# each table says when its interval ended; in JSON too, and the intervals
	# follow one another without a gap
	[[ "$(grep -m1 -- ' s: the last ' <<<"$output")" =~ ^---\ 0\.[0-9]{6}\ s:\ the\ last\ [0-9.]+ms\ ---$ ]]
	run_tool run --interval 0.2 -e send --format json -- "$PYTHON3" -c 'import socket, time
a, b = socket.socketpair()
for i in range(10):
    a.send(b"x"); b.recv(1); time.sleep(0.1)'
	[ "$status" -eq 0 ]
	"$PYTHON3" -c 'import json, sys
t = [json.loads(l) for l in sys.stdin if "\"summary\"" in l]
assert len(t) >= 4, t
assert t[0]["time_ns"] >= t[0]["interval_ns"] > 0, t[0]
for a, b in zip(t, t[1:]):
    assert b["time_ns"] == a["time_ns"] + b["interval_ns"], (a, b)
assert sum(c["calls"] for r in t for c in r["calls"] if c["call"] == "sendto") == 10' <<<"$output"
	# tables as fast as they may come (10ms) while the sends never pause: each send is in
	# one table (zeroing a counter as it was read lost 47 to 50, and once
	# brought back 2,467 sends a call was adding to as it was zeroed)
	run_tool run --interval 0.01 -e send -- "$PYTHON3" -c 'import socket
a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
for i in range(100000):
    a.send(b"x"); b.recv(1)'
	[ "$status" -eq 0 ]
	[ "$(grep -c -- ' s: the last ' <<<"$output")" -ge 5 ]
	[ "$(awk '$1 == "sendto" { n += $2 } END { print n }' <<<"$output")" -eq 100000 ]
	# a connection's row is not the interval's: said under each table
	run_tool run --by conn --interval 0.2 -- "$PYTHON3" -c 'import socket, time
a, b = socket.socketpair()
a.send(b"x"); b.recv(1); time.sleep(0.5)'
	[ "$status" -eq 0 ]
	[ "$(grep -c "^(each connection's counts are since tracing began)" <<<"$output")" -eq "$(grep -c -- ' s: the last ' <<<"$output")" ]
	# a connection that ended before an interval is not a row of its table, but
	# counted under it (every table listed every connection since the start)
	run_tool run --by conn --interval 0.2 --format json -- "$PYTHON3" -c 'import socket, time
a, b = socket.socketpair(); a.send(b"x"); b.recv(1); a.close(); b.close()
c, d = socket.socketpair(); c.send(b"yy"); d.recv(2); time.sleep(0.7); c.send(b"yy"); d.recv(2)'
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
tables = [r for r in map(json.loads, sys.argv[1].splitlines()) if r["type"] == "summary"]
first = lambda t: [c for c in t["connections"] if c["bytes_in"] + c["bytes_out"] == 1]
shown = [i for i, t in enumerate(tables) if first(t)]
# the first pair: in the table of the interval it closed in, and in no later one
assert len(shown) == 1 and all(c["closed"] for c in first(tables[shown[0]])), tables
assert tables[shown[0]]["connections_ended_before"] == 0, tables[shown[0]]
later = tables[shown[0] + 1:]
assert len(later) >= 2 and all(t["connections_ended_before"] == 2 for t in later), later
# the second pair, open through the sleep, is a row of every later table
assert all(len(t["connections"]) == 2 for t in later), later' "$output"
	run_tool run --by conn --interval 0.2 -- "$PYTHON3" -c 'import socket, time
a, b = socket.socketpair(); a.send(b"x"); b.recv(1); a.close(); b.close(); time.sleep(0.5)'
	[[ "$output" =~ $'\n'"(and 2 connections that ended before this interval, not shown)"$'\n'"(each connection" ]]
}

@test "views: --format perfetto is Chrome trace JSON: a slice per call, flows pair connect/accept and send/recv" {
	requires root bpf btf python3
	run_tool demo epoll --trace-client --format perfetto -o "$TMP/p.json"
	[ "$status" -eq 0 ]
	"$PYTHON3" - "$TMP/p.json" <<'PY'
import json, sys, collections
d = json.load(open(sys.argv[1]))
ev = d["traceEvents"]
for e in ev:
    assert {"ph", "name", "pid"} <= set(e), e
    assert e["ph"] == "M" or isinstance(e["ts"], (int, float)), e
calls = [e for e in ev if e["ph"] == "X" and e["cat"] != "kernel"]
assert len(calls) == d["otherData"]["calls"], (len(calls), d["otherData"])
assert all(e["dur"] >= 0 and "ret" in e["args"] for e in calls)
names = {e["args"]["name"] for e in ev if e["ph"] == "M" and e["name"] == "thread_name"}
assert {"epoll-server", "load-client"} <= names, names
# each flow: one start and one finish, each inside a call slice of its thread
by = collections.defaultdict(dict)
for e in ev:
    if e["ph"] in "sf":
        by[e["id"]][e["ph"]] = e
def call_at(e):
    return next(c for c in calls if c["tid"] == e["tid"] and c["ts"] <= e["ts"] <= c["ts"] + c["dur"] + 0.001)
pairs = collections.Counter()
for fid, f in by.items():
    assert set(f) == {"s", "f"}, f
    a, b = call_at(f["s"]), call_at(f["f"])
    assert a["pid"] != b["pid"], (a, b)
    pairs[(a["name"], b["name"])] += 1
# 2 connections, 3 messages each way
assert pairs[("connect", "accept4")] == 2, pairs
assert pairs[("sendto", "read")] == 6 and pairs[("sendto", "recvfrom")] == 6, pairs
PY
	# the server alone: its sends' recvs were never traced, so no arrow starts
	run_tool demo epoll --format perfetto -o "$TMP/server.json"
	[ "$status" -eq 0 ]
	"$PYTHON3" -c 'import json, sys
ev = json.load(open(sys.argv[1]))["traceEvents"]
assert any(e["ph"] == "X" and e["name"] == "sendto" for e in ev)
assert not [e for e in ev if e["ph"] in "sf"], [e for e in ev if e["ph"] in "sf"]' "$TMP/server.json"
}

@test "views: --view gantt draws a lane per thread: the blocking server's workers parked in read" {
	requires root bpf btf
	COLUMNS=120 run_tool demo blocking --view gantt --requests 10 --slow 5
	[ "$status" -eq 0 ]
	[[ "$output" =~ "one column = " ]]
	[[ "$output" =~ THREAD\ +\|0\ +\| ]]
	# the main thread in accept4, a worker per connection mostly in read
	[ "$(grep -cE '^blocking-server [0-9]+ +' <<<"$output")" -eq 3 ]
	[ "$(grep -E '^blocking-server [0-9]+ +' <<<"$output" | grep -cE 'r{10,}')" -eq 2 ]
	[[ "$output" =~ "legend:" ]]
	[[ "$output" =~ " a accept4" ]]
	[[ "$output" =~ " r read" ]]
	# the legend names only letters drawn; a call too brief for any column is
	# said apart with its count, not left in the legend to be looked for
	COLUMNS=120 run_tool demo poll --view gantt
	[ "$status" -eq 0 ]
	python3 -c '
import re, sys
out = sys.stdin.read().splitlines()
lane = "".join(l.split(None, 2)[2] for l in out if l.startswith("poll-server "))
legend = re.findall(r"  (\S) (\S+)", next(l for l in out if l.startswith("legend:")))
brief = dict(re.findall(r"  (\S+) ×(\d+)", next(l for l in out if l.startswith("shorter than a column"))))
assert legend and all(ch in lane for ch, _ in legend), (legend, lane)
assert not set(brief) & {n for _, n in legend}, (legend, brief)
assert {n for _, n in legend} | set(brief) == {"socket", "setsockopt", "bind", "listen", "getsockname", "poll", "accept4", "read", "sendto", "close"}, (legend, brief)
assert "read" not in brief or int(brief["read"]) == 8, brief' <<<"$output"
	# a terminal narrower than the views can draw gets the narrowest (40
	# columns), not the 160 of no terminal at all; a huge one the widest (1000)
	for w in 20:40 5000:1000; do
		COLUMNS=${w%:*} run_tool demo poll --view gantt
		[ "$status" -eq 0 ]
		python3 -c '
import sys
lane = [l for l in sys.stdin.read().splitlines() if l.startswith("poll-server ")]
assert len(lane) == 1 and len(lane[0]) == int(sys.argv[1]) - 1, (len(lane[0]), lane)' "${w#*:}" <<<"$output"
	done
	# nothing to draw is said, not an empty chart
	run_tool run --view gantt -q -- true
	[ "$status" -eq 0 ]
	[ "$output" = "(no traced call: no lane to draw)" ]
}
