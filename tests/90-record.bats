#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# --record and `socktrace report`: a recording renders exactly as the live trace did.

load helpers

@test "record: report reproduces the live JSON byte for byte (stacks, io_uring, text views too)" {
	requires root bpf btf
	run_tool run --record "$TMP/a.rec" --format json -o "$TMP/live.jsonl" -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	[ "$(stat -c %a "$TMP/a.rec")" = 600 ]
	run_tool report "$TMP/a.rec" --format json -o "$TMP/report.jsonl"
	[ "$status" -eq 0 ]
	cmp "$TMP/live.jsonl" "$TMP/report.jsonl"
	# read to its end, not by its size: from standard input (-) or a pipe, as over ssh
	"$TOOL_BIN" report --format json - <"$TMP/a.rec" | cmp - "$TMP/live.jsonl"
	"$TOOL_BIN" report --format json <(cat "$TMP/a.rec") | cmp - "$TMP/live.jsonl"
	# -o naming the recording itself, by a link: refused, and the recording kept
	cp "$TMP/a.rec" "$TMP/a.copy"
	ln -s "$TMP/a.rec" "$TMP/link.rec"
	run_tool report "$TMP/a.rec" -o "$TMP/link.rec"
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace report: -o '$TMP/link.rec' is the recording being read: give another file" ]
	cmp "$TMP/a.rec" "$TMP/a.copy"
	run_tool run --record "$TMP/b.rec" -o "$TMP/b.rec" -- true
	[ "$status" -eq 2 ]
	# kernel stacks (-k) and io_uring requests render from the file's own snapshot
	run_tool run -k --record "$TMP/b.rec" --format json -o "$TMP/live2.jsonl" -- "$BUILD/tests/uring_peer" scenario
	[ "$status" -eq 0 ]
	run_tool report -k "$TMP/b.rec" --format json -o "$TMP/report2.jsonl"
	[ "$status" -eq 0 ]
	cmp "$TMP/live2.jsonl" "$TMP/report2.jsonl"
	grep -q '"stack":"' "$TMP/report2.jsonl"
	# the text list view, from a demo's recording
	run_tool demo epoll --trace-client --record "$TMP/c.rec" -o "$TMP/live3.txt"
	[ "$status" -eq 0 ]
	run_tool report "$TMP/c.rec" -o "$TMP/report3.txt"
	[ "$status" -eq 0 ]
	cmp "$TMP/live3.txt" "$TMP/report3.txt"
}

@test "record: one recording renders in every view and format, and as a summary" {
	requires root bpf btf python3
	# a demo's recording holds its client too, unasked: the sequence has both sides
	run_tool demo blocking --record "$TMP/d.rec" -q
	[ "$status" -eq 0 ]
	COLUMNS=200 run_tool report "$TMP/d.rec" --view sequence
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ "client (user space) │  kernel  │ server (user space)" ]]
	[[ "$output" =~ "│  ─(1)─▶  │" ]]
	run_tool report "$TMP/d.rec" --view gantt
	[ "$status" -eq 0 ]
	[[ "$output" =~ "legend:" ]]
	# a recorded demo replayed in class: --explain as live, once per kind of call
	run_tool report "$TMP/d.rec" --explain
	[ "$status" -eq 0 ]
	[ "$(grep -c 'ⓘ the kernel creates a socket' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'ⓘ 0 bytes on a stream socket is end of file' <<<"$output")" -eq 1 ]
	run_tool report "$TMP/d.rec" --format perfetto
	[ "$status" -eq 0 ]
	"$PYTHON3" -c 'import json,sys; d=json.loads(sys.stdin.read()); assert len(d["traceEvents"]) > 20' <<<"$output"
	run_tool report "$TMP/d.rec" -c --format json
	[ "$status" -eq 0 ]
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
rows = {r["call"]: r for r in s["calls"]}
# 2 connections x 3 messages of 16 B, echoed: each side sends 6
assert rows["sendto"]["calls"] == 12 and rows["sendto"]["bytes"] == 192, rows["sendto"]' <<<"$output"
	# -k of a recording made without it: said, as -u's is, not an empty answer
	RUN_STATUS=1 run_tool report "$TMP/d.rec" -k
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: '$TMP/d.rec' has no kernel stacks: record with -k to show them later" ]
	[ -z "$output" ]
}

# conn_rows FILE: a --by conn JSON summary's rows, without what differs between runs (ports, times)
conn_rows() {
	"$PYTHON3" -c '
import json, sys
s = next(json.loads(l) for l in open(sys.argv[1]) if l.startswith("{\"type\":\"summary\""))
for r in sorted((c["kind"], bool(c["peer"]), c["calls"], c["bytes_in"], c["bytes_out"], c["closed"])
                for c in s["connections"]):
    print(*r)' "$1"
}

@test "record: report --by conn counts from the recorded calls the rows live --by conn counts in the kernel" {
	requires root bpf btf python3
	# the same exchanges twice, live and recorded: syscalls (epoll) and io_uring
	# requests; ports differ between runs, the rows' counts and bytes do not
	for b in epoll io_uring; do
		run_tool demo $b --trace-client --by conn --format json -q -o "$TMP/live.jsonl"
		[ "$status" -eq 0 ]
		run_tool demo $b --trace-client --record "$TMP/$b.rec" -q
		[ "$status" -eq 0 ]
		run_tool report "$TMP/$b.rec" --by conn --format json -q -o "$TMP/rec.jsonl"
		[ "$status" -eq 0 ]
		# 2 connections x 3 messages of 16 B: each end moves 48 B each way
		[ "$(conn_rows "$TMP/rec.jsonl" | grep -c ' True [0-9]* 48 48 ')" -eq 4 ]
		diff <(conn_rows "$TMP/live.jsonl") <(conn_rows "$TMP/rec.jsonl")
	done
	# sockets whose close is their first counted call (a socketpair only
	# polled, a socket never used) are rows in both
	prog='import select, socket
a, b = socket.socketpair(); select.select([a], [], [], 0); a.close(); b.close()
socket.socket().close()'
	run_tool run --by conn --format json -q -o "$TMP/live.jsonl" -- "$PYTHON3" -c "$prog"
	[ "$status" -eq 0 ]
	run_tool run --record "$TMP/py.rec" -q -o /dev/null -- "$PYTHON3" -c "$prog"
	[ "$status" -eq 0 ]
	run_tool report "$TMP/py.rec" --by conn --format json -q -o "$TMP/rec.jsonl"
	[ "$status" -eq 0 ]
	run_tool report "$TMP/py.rec" --by conn -q
	[[ "$output" =~ "TCP - → - " ]]
	[ "$(conn_rows "$TMP/live.jsonl" | cut -d' ' -f1,2,6)" = "TCP False True
UNIX-STREAM True True
UNIX-STREAM True True" ]
	diff <(conn_rows "$TMP/live.jsonl") <(conn_rows "$TMP/rec.jsonl")
}

@test "record: report --by conn: a close report -e or -Z leaves out still ends its row, as live; a recording made without closes says STATE ?" {
	requires root bpf btf python3
	prog='import socket
for i in range(20):
    a, b = socket.socketpair(); a.send(b"x" * 8); b.recv(8)
    try: b.recv(8, socket.MSG_DONTWAIT)
    except BlockingIOError: pass
    a.close(); b.close()'
	run_tool run --record "$TMP/all.rec" -q -o /dev/null -- "$PYTHON3" -c "$prog"
	[ "$status" -eq 0 ]
	# -e send,recv: both ends of each pair, 40 rows; -Z: the end whose recv failed
	for filter in "-e send,recv:40" "-Z:20"; do
		run_tool run --by conn ${filter%:*} --format json -q -o "$TMP/live.jsonl" -- "$PYTHON3" -c "$prog"
		[ "$status" -eq 0 ]
		run_tool report "$TMP/all.rec" --by conn ${filter%:*} --format json -q -o "$TMP/rec.jsonl"
		[ "$status" -eq 0 ]
		[ "$(conn_rows "$TMP/rec.jsonl" | grep -c '^UNIX-STREAM True [12] [0-9]* [0-9]* True$')" -eq "${filter#*:}" ]
		diff <(conn_rows "$TMP/live.jsonl") <(conn_rows "$TMP/rec.jsonl")
	done
	# the closes were never recorded: no row can say it closed, or was open at exit
	run_tool run --record "$TMP/sr.rec" -e send,recv -q -o /dev/null -- "$PYTHON3" -c "$prog"
	[ "$status" -eq 0 ]
	run_tool report "$TMP/sr.rec" --by conn -q
	[ "$status" -eq 0 ]
	[ "$(grep -c '^UNIX-STREAM .* ?$' <<<"$output")" -eq 40 ]
	[[ "$output" =~ "(STATE ?: the recording holds no closes, made with -e without close, -Z or --min-duration: whether a connection closed is not known)" ]]
	run_tool report "$TMP/sr.rec" --by conn --format json -q
	[[ "$output" =~ '"closes_seen":false' ]]
	! [[ "$output" =~ '"closed":true' || "$output" =~ '"at_exit":true' ]]
}

@test "record: report -e shows only those calls of a recording (io_uring requests with io_uring), counted as shown" {
	requires root bpf btf python3
	run_tool run --record "$TMP/u.rec" -o /dev/null -- "$BUILD/tests/uring_peer" scenario
	[ "$status" -eq 0 ]
	run_tool report "$TMP/u.rec" --format json -o "$TMP/all.jsonl"
	[ "$status" -eq 0 ]
	for e in connect 'send,recv' '!io_uring' 'trace=!connect,close'; do
		run_tool report "$TMP/u.rec" --format json -e "$e" -o "$TMP/e.jsonl"
		[ "$status" -eq 0 ]
		python3 - "$TMP/all.jsonl" "$TMP/e.jsonl" "$e" <<'PY'
import json, sys
every = [json.loads(l) for l in open(sys.argv[1])]
shown = [json.loads(l) for l in open(sys.argv[2])]
want = {"connect": lambda r: r.get("call") == "connect",
        "send,recv": lambda r: r.get("category") in ("send", "recv"),
        "!io_uring": lambda r: r["type"] == "call" and r["category"] != "io_uring",
        "trace=!connect,close": lambda r: r["type"] == "io_uring" or
            (r["type"] == "call" and r["call"] not in ("connect", "close"))}[sys.argv[3]]
calls = lambda rs: [r for r in rs if r["type"] in ("call", "io_uring")]
expect = [r for r in calls(every) if want(r)]
assert expect and calls(shown) == expect, (sys.argv[3], len(expect), len(calls(shown)))
end = shown[-1]
assert end["calls"] == sum(r["type"] == "call" for r in expect), end
assert end["io_uring_completions"] == sum(r["type"] == "io_uring" for r in expect), end
PY
	done
}

@test "record: a corrupt, foreign, empty or header-less file is one error line and exit 1" {
	requires root bpf btf python3
	run_tool run --record "$TMP/a.rec" -q -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	size=$(stat -c %s "$TMP/a.rec")
	# cut inside its header: nothing to show
	head -c 30 "$TMP/a.rec" >"$TMP/head.rec"
	run_tool report "$TMP/head.rec"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" =~ "is not a usable recording: the file is cut short (at byte 16)" ]]
	: >"$TMP/empty.rec"
	run_tool report "$TMP/empty.rec"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: '$TMP/empty.rec' is empty: nothing was recorded in it" ]
	# bytes changed inside the first compressed block: its checksum no longer holds
	"$PYTHON3" - "$TMP/a.rec" "$TMP/bad.rec" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], "rb").read())
o = 16
while struct.unpack_from("<I", d, o)[0] != 2:  # REC_BLOCK
    o += 8 + struct.unpack_from("<I", d, o + 4)[0]
d[o + 20:o + 28] = b"XXXXXXXX"
open(sys.argv[2], "wb").write(d)
PY
	run_tool report "$TMP/bad.rec"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" =~ "is not a usable recording: " ]]
	run_tool report /etc/passwd
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: '/etc/passwd' is not a usable recording: not a socktrace recording (no SOCKTRACE-REC magic) (at byte 0)" ]
	# the fuzz corpus's recordings are v1: read as before
	run_tool report --format json "$TOP/tests/fuzz/corpus/tcp4.rec"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^'{"type":"end"' ]]
	head -c 15 "$TMP/a.rec" >"$TMP/v9.rec" && printf 9 >>"$TMP/v9.rec" && tail -c +17 "$TMP/a.rec" >>"$TMP/v9.rec"
	run_tool report "$TMP/v9.rec"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: '$TMP/v9.rec' is not a usable recording: a newer socktrace wrote this file (at byte 0)" ]
	run_tool report "$TMP/missing.rec"
	[ "$status" -eq 1 ]
	[[ "$stderr" =~ "cannot read the recording" ]]
	run_tool report "$TMP"
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: cannot read the recording '$TMP': Is a directory" ]
	run_tool report - </dev/null
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: '-' is empty: nothing was recorded in it" ]
	run_tool report
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "which recording?" ]]
	# report - reads standard input; --record - is no file named "-"
	(cd "$TMP" && run_tool run --record - -o /dev/null -- true)
	[ ! -e "$TMP/-" ]
	run_tool run --record - -o /dev/null -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "--record -: standard output carries the trace or the command's own output" ]]
	# a pipe will do, as bash's >(...) gives one
	run_tool run -q -o /dev/null --record >(cat >"$TMP/piped.rec") -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	wait $! # the cat of >(...), done once socktrace closed the pipe
	run_tool report --format json "$TMP/piped.rec"
	[ "$status" -eq 0 ]
	[[ "${lines[-1]}" =~ ^'{"type":"end"' ]]
}

# attach --record on the epoll server, a load of N round trips for each N given, SIGKILL
killed_recording() {
	local port
	port=$("$PYTHON3" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	"$TOOL_BIN" serve epoll --port "$port" >"$TMP/serve" 2>&1 &
	PIDS+=($!)
	wait_for_line "$TMP/serve" "echo server"
	"$TOOL_BIN" attach -u -o "$TMP/live" --record "$TMP/k.rec" "${PIDS[-1]}" 2>"$TMP/err" &
	tracer=$!
	wait_for_line "$TMP/live" "tracing epoll-server"
	for n in "$@"; do
		"$TOOL_BIN" load --port "$port" --connections 1 --size 64 --requests "$n" >/dev/null
		# a block is in the file within a second of its first record
		sleep 1.5
	done
	kill -KILL $tracer
	wait $tracer || true
	assert_nothing_loaded
}

# sendto calls of 64 B in a report's JSON, and its end record's "what"
sends_and_end() {
	"$PYTHON3" -c '
import json, sys
rs = [json.loads(l) for l in open(sys.argv[1])]
sends = [r for r in rs if r.get("call") == "sendto" and r["ret"] == 64]
print(len(sends), rs[-1]["type"], rs[-1]["what"])' "$1"
}

@test "record: a socktrace killed by SIGKILL leaves a recording of what it saw, kernel paths and user stacks included" {
	requires root bpf btf python3
	killed_recording 25
	run_tool report --format json -o "$TMP/k.jsonl" "$TMP/k.rec"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	run sends_and_end "$TMP/k.jsonl"
	[ "$output" = "25 end the recording ends early" ]
	# as the killed socktrace showed it, kernel paths and user stacks too:
	# what a block names follows it
	run_tool report -u -o "$TMP/report" "$TMP/k.rec"
	[ "$status" -eq 0 ]
	[[ "$(tail -n 1 "$TMP/report")" =~ ^"socktrace: the recording ends early — "[0-9]+" calls traced, 0 events lost"$ ]]
	head -n -1 "$TMP/report" | cmp - "$TMP/live"
	grep -q "└ __sys_sendto → tcp_sendmsg" "$TMP/live"
	grep -q "↳ .* → serve_epoll+0x" "$TMP/live"
}

@test "record: a recording cut inside a block shows every call before the cut, says where it was cut, and exits 1" {
	requires root bpf btf python3
	killed_recording 10 7
	size=$(stat -c %s "$TMP/k.rec")
	head -c $((size - 5)) "$TMP/k.rec" >"$TMP/cut.rec"
	run_tool report --format json -o "$TMP/cut.jsonl" "$TMP/cut.rec"
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ "$stderr" =~ ^"socktrace: '$TMP/cut.rec': the file is cut short (at byte "[0-9]+"): its writer stopped there, or is still writing; the calls before it are shown"$ ]]
	# the first load's block is whole, the second's is cut
	run sends_and_end "$TMP/cut.jsonl"
	[ "$output" = "10 end the recording ends early" ]
}
