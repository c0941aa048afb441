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
	! grep -q '"addr":"\[::1\]:' "$TMP/a.jsonl" || false
	grep -q '"addr":"\[::1\]:' "$TMP/b.jsonl"
	! grep -q '"addr":"127.0.0.1:' "$TMP/b.jsonl" || false
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

# stop_within_1s MODE SIGNAL: socktrace MODE (run or attach) on a sleeper gets
# SIGNAL, stops within a second with its footer, and leaves no program or link.
stop_within_1s() {
	local mode=$1 sig=$2 target tracer rc=0 t0 ms links0 i
	links0=$(bpftool link show 2>/dev/null | grep -c '^[0-9]*:' || true)
	rm -f "$TMP/out" "$TMP/err" # not the last round's header
	if [ "$mode" = run ]; then
		"$TOOL_BIN" run -o "$TMP/out" -- sleep 30 2>"$TMP/err" &
		tracer=$!
	else
		sleep 30 &
		target=$!
		PIDS+=($target)
		# the background job's shell has become sleep
		for ((i = 0; i < 100; i++)); do [ "$(cat /proc/$target/comm)" = sleep ] && break; sleep 0.02; done
		"$TOOL_BIN" attach -o "$TMP/out" "$target" 2>"$TMP/err" &
		tracer=$!
	fi
	PIDS+=($tracer)
	wait_for_line "$TMP/out" "tracing sleep"
	# run: the command has become sleep (its exec is traced) before the signal
	[ "$mode" = attach ] || wait_for_line "$TMP/out" "exec .*sleep"
	t0=$(date +%s%N)
	kill -"$sig" $tracer
	wait $tracer || rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	echo "# $mode $sig: exit $rc after $ms ms" >&3
	cat "$TMP/out" "$TMP/err" >&2
	[ "$ms" -le 1000 ]
	# run passes the signal on (SIGINT is ignored by a background job's sleep); attach just stops
	if [ "$mode" = run ] && [ "$sig" = TERM ]; then
		[ "$rc" -eq 143 ]
		grep -q "sleep killed by SIGTERM — 0 calls traced, 0 events lost" "$TMP/out"
	elif [ "$mode" = run ]; then
		[ "$rc" -eq 130 ]
		grep -q "stopped tracing sleep (pid [0-9]*, still running) — 0 calls traced" "$TMP/out"
		PIDS+=($(sed -n 's/.*(pid \([0-9]*\), still running).*/\1/p' "$TMP/out"))
	else
		[ "$rc" -eq 0 ]
		grep -q "detached from sleep (pid $target) — 0 calls traced, 0 events lost" "$TMP/out"
	fi
	assert_nothing_loaded
	[ "$(bpftool link show 2>/dev/null | grep -c '^[0-9]*:' || true)" -le "$links0" ]
}

@test "faults: SIGINT and SIGTERM to run and to attach: stopped within 1 s, footer printed, nothing left" {
	requires root bpf btf
	for mode in run attach; do
		for sig in INT TERM; do
			stop_within_1s $mode $sig
		done
	done
}

@test "faults: after SIGKILL to an attached socktrace, the epoll server's throughput is back to its baseline" {
	requires root bpf btf python3
	port=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$TOOL_BIN" serve epoll --port "$port" >"$TMP/serve" 2>&1 &
	server=$!
	PIDS+=($server)
	wait_for_line "$TMP/serve" "listening|echo server"
	load() {
		"$TOOL_BIN" load --port "$port" --connections 8 --size 64 --duration 1 --format json |
			"$PYTHON3" -c 'import json,sys; r=json.load(sys.stdin); print(int(r["round_trips_per_s"]), r["errors"])'
	}
	read -r before errs < <(load)
	[ "$errs" -eq 0 ]
	"$TOOL_BIN" attach -o "$TMP/out" "$server" 2>"$TMP/err" &
	tracer=$!
	wait_for_line "$TMP/out" "tracing epoll-server"
	read -r traced errs < <(load)
	[ "$errs" -eq 0 ]
	kill -KILL $tracer
	wait $tracer || true
	assert_nothing_loaded
	read -r after errs < <(load)
	echo "# round trips/s: before $before, traced $traced, after SIGKILL $after" >&3
	[ "$errs" -eq 0 ]
	# nothing of the tracer is left to slow it: back to (a noisy machine's) baseline
	[ "$after" -ge $((before * 6 / 10)) ]
}

@test "faults: a traced program that execs another: the new program's calls under the same pid, named" {
	requires root bpf btf python3
	run_tool run -e connect --format json -o "$TMP/t.jsonl" -- sh -c "exec $PEERPAIR refused"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c 'import json,sys
rs = [json.loads(l) for l in open(sys.argv[1])]
start = rs[0]["pids"][0]
ex = [r for r in rs if r.get("type") == "exec"]
calls = [r for r in rs if r.get("type") == "call"]
print(len(ex), ex[-1]["path"].endswith("peerpair"), [(c["pid"] == start, c["comm"], c["call"]) for c in calls])' "$TMP/t.jsonl"
	[ "$output" = "2 True [(True, 'peerpair', 'connect')]" ]
}

@test "faults: a command with stdin and stdout closed is traced to its end" {
	requires root bpf btf
	run_tool run -e connect -- sh -c "exec <&- >&-; exec $PEERPAIR refused"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "connect(" ]]
	[[ "${lines[-1]}" =~ "exited 0" ]]
	# socktrace started with them closed: the trace is not written into a
	# file it opened in their place (a BPF map's), and the command gets them closed
	run bash -c '"$0" run -e connect -- "$1" refused 2>&1 >&-' "$TOOL_BIN" "$PEERPAIR"
	[ "$status" -eq 1 ]
	[ "$output" = "socktrace: standard output is closed, and the trace goes there: give -o FILE" ]
	assert_nothing_loaded
	run bash -c '"$0" run -o "$2" -e connect -- sh -c "[ ! -e /proc/\$\$/fd/0 ] && [ ! -e /proc/\$\$/fd/1 ] && exec $1 refused" <&- >&-' "$TOOL_BIN" "$PEERPAIR" "$TMP/t.txt"
	[ "$status" -eq 0 ]
	grep -q "connect(" "$TMP/t.txt"
}

@test "faults: attach to processes that exit while socktrace attaches: one clean ending, nothing left" {
	requires root bpf btf
	local i rc
	for ((i = 0; i < 8; i++)); do
		# attaching takes longer than these live: each exits before, during or after
		sleep "0.$((i * 3))" &
		p=$!
		rc=0
		timeout 10 "$TOOL_BIN" attach -o "$TMP/out.$i" "$p" 2>"$TMP/err.$i" || rc=$?
		echo "# sleep 0.$((i * 3)): exit $rc: $(cat "$TMP/err.$i") $(tail -1 "$TMP/out.$i" 2>/dev/null)" >&3
		wait $p || true
		if [ "$rc" -eq 0 ]; then
			grep -q "sleep (pid $p) exited — 0 calls traced, 0 events lost" "$TMP/out.$i"
		else
			[ "$rc" -eq 1 ]
			[ "$(wc -l <"$TMP/err.$i")" -eq 1 ]
			grep -qE "^socktrace: (no process with pid $p|pid $p has exited|sleep \(pid $p\) exited before tracing began)" "$TMP/err.$i"
		fi
		assert_nothing_loaded
	done
}

@test "faults: a file limit too low for the trace (ulimit -n): one line naming it, exit 1; the command keeps its own limit" {
	requires root bpf btf
	run --separate-stderr timeout 30s bash -c "ulimit -n 64; exec $TOOL_BIN run -- true"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: a trace keeps about 128 files open (its BPF maps, programs and links), and ulimit -n allows 64: raise it, e.g. ulimit -n 1024" ]
	# a soft limit below the hard one is raised for socktrace alone (the
	# command's own limit goes to a file: its stdout and the trace's share a
	# pipe, in no set order)
	run --separate-stderr timeout 30s bash -c "ulimit -Hn 4096; ulimit -Sn 100; exec $TOOL_BIN run -q -- sh -c 'ulimit -Sn >$TMP/limit'"
	[ "$status" -eq 0 ]
	[ "$(cat "$TMP/limit")" = 100 ]
	[[ "${lines[-1]}" =~ " exited 0 +++" ]]
}
