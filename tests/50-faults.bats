#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# A tracer that survives faults and attributes every call right: socktrace
# killed mid-trace, many children and threads, two tracers at once.

load helpers

# binds TRACE: "pid tid port" of every bind in a JSON trace
binds() {
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == "bind" and r["ret"] == 0:
        print(r["pid"], r["tid"], r["sock"]["local"].split(":")[1])' "$1"
}

@test "faults: 200 forked children each bind once: every call under its own pid" {
	requires root bpf btf python3
	run_tool run -e bind --format json -o "$TMP/t.jsonl" -- "$PYTHON3" "$TOP/tests/helpers/swarm.py" procs 200
	[ "$status" -eq 0 ]
	echo "$output" | sort >"$TMP/want"
	[ "$(wc -l <"$TMP/want")" -eq 200 ]
	binds "$TMP/t.jsonl" | awk '{print $1, $3}' | sort >"$TMP/got"
	diff "$TMP/want" "$TMP/got"
	# the tracer followed all of them and lost nothing
	tail -1 "$TMP/t.jsonl" | grep -q '"lost":0,'
}

@test "faults: 50 threads each bind once: every call under its own tid" {
	requires root bpf btf python3
	run_tool run -e bind --format json -o "$TMP/t.jsonl" -- "$PYTHON3" "$TOP/tests/helpers/swarm.py" threads 50
	[ "$status" -eq 0 ]
	echo "$output" | sort >"$TMP/want"
	[ "$(wc -l <"$TMP/want")" -eq 50 ]
	binds "$TMP/t.jsonl" | awk '{print $2, $3}' | sort >"$TMP/got"
	diff "$TMP/want" "$TMP/got"
	# one process, fifty threads
	[ "$(binds "$TMP/t.jsonl" | awk '{print $1}' | sort -u | wc -l)" -eq 1 ]
}

@test "faults: SIGKILL to socktrace while attached: nothing stays loaded, the server serves on" {
	requires root bpf btf python3 nc
	python3 -c '
import socket, sys
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
while True:
    c, _ = s.accept(); c.sendall(c.recv(100)); c.close()' "$TMP/port" &
	server=$!
	PIDS+=($server)
	for ((i = 0; i < 100; i++)); do [ -s "$TMP/port" ] && break; sleep 0.05; done
	port=$(cat "$TMP/port")
	"$TOOL_BIN" attach -o "$TMP/out" "$server" 2>"$TMP/err" &
	tracer=$!
	wait_for_line "$TMP/out" "tracing python3"
	[ "$(printf one | nc -N 127.0.0.1 "$port")" = one ]
	kill -KILL $tracer
	wait $tracer || true
	assert_nothing_loaded
	for m in two three; do
		[ "$(printf $m | nc -N 127.0.0.1 "$port")" = $m ]
	done
	kill -0 "$server"
}

@test "faults: two tracers of different processes see only their own; two of one process both see all" {
	requires root bpf btf
	"$TOOL_BIN" run -e connect --format json -o "$TMP/a.jsonl" -- "$PEERPAIR" refused &
	a=$!
	"$TOOL_BIN" run -e connect --format json -o "$TMP/b.jsonl" -- "$PEERPAIR" tcp6 &
	b=$!
	wait $a
	wait $b
	grep -q '"addr":"127.0.0.1:' "$TMP/a.jsonl"
	! grep -q '"addr":"\[::1\]:' "$TMP/a.jsonl"
	grep -q '"addr":"\[::1\]:' "$TMP/b.jsonl"
	! grep -q '"addr":"127.0.0.1:' "$TMP/b.jsonl"
	# the same process traced twice: a sleeper that then connects
	sh -c "sleep 1; exec $PEERPAIR refused" &
	target=$!
	"$TOOL_BIN" attach -e connect --format json -o "$TMP/c.jsonl" $target &
	c=$!
	"$TOOL_BIN" attach -e connect --format json -o "$TMP/d.jsonl" $target &
	d=$!
	wait $target || true
	wait $c
	wait $d
	[ "$(grep -c '"call":"connect"' "$TMP/c.jsonl")" -eq 1 ]
	[ "$(grep -c '"call":"connect"' "$TMP/d.jsonl")" -eq 1 ]
}

@test "faults: a command that closes its stdout, and one that exits mid-trace on a signal" {
	requires root bpf btf
	run_tool run -e connect -- sh -c "exec >&-; exec $PEERPAIR refused"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "connect(" ]]
	[[ "$output" =~ "sh exited 0" ]] || [[ "$output" =~ "peerpair exited 0" ]]
	run_tool run -- sh -c "$PEERPAIR refused; kill -KILL \$\$"
	[ "$status" -eq 137 ]
	[[ "$output" =~ "connect(" ]]
	[[ "${lines[-1]}" =~ "killed by SIGKILL" ]]
}
