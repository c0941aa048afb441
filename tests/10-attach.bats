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
}

@test "attach: by name, exact like pgrep; --duration ends it with the footer; options may follow the targets" {
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
	[ "$stderr" = "socktrace: no process named 'sk-sleepe' (names match exactly, as pgrep does; try pgrep -f to find its pid)" ]
}

@test "attach: a process that does not exist, a kernel thread, a zombie: one line, exit 1" {
	requires root bpf btf python3
	pid=4194000
	while [ -e /proc/$pid ]; do pid=$((pid - 1)); done
	run_tool attach $pid
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: no process with pid $pid" ]
	run_tool attach 2
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid 2 is a kernel thread: it makes no socket calls to trace" ]
	"$PYTHON3" -c 'import os, time
pid = os.fork()
if pid == 0: os._exit(0)
print(pid, flush=True); time.sleep(30)' >"$TMP/zombie" &
	PIDS+=($!)
	wait_for_line "$TMP/zombie" '^[0-9]+$'
	z=$(cat "$TMP/zombie")
	for ((i = 0; i < 100; i++)); do grep -q '^State:.*Z' /proc/$z/status && break; sleep 0.02; done
	run_tool attach "$z"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: pid $z has exited (a zombie waiting for its parent): nothing to trace" ]
}

@test "attach: ends by itself when every traced process has exited" {
	requires root bpf btf
	sleep 2 &
	p=$!
	run_tool attach "$p"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ "sleep (pid $p) exited — 0 calls traced, 0 events lost" ]]
}
