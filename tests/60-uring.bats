#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# io_uring requests, from submission to each completion, checked against
# what the program itself reaped (uring_peer -o writes every CQE it saw).

load helpers

URING_PEER=$BUILD/tests/uring_peer

# check_scenario TRACE ORACLE SQPOLL(0|1): every CQE the program reaped is in
# the trace as a request with its opcode, fd, user_data, result and flags
check_scenario() {
	"$PYTHON3" - "$@" <<'PY'
import json, sys
trace, oracle, sqpoll = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
recs = [json.loads(l) for l in open(trace)]
reqs = [r for r in recs if r["type"] == "io_uring"]
cqes = [json.loads(l) for l in open(oracle)]
def fail(msg):
    print("# " + msg); [print("# ", r) for r in reqs]; sys.exit(1)
if len(reqs) != len(cqes):
    fail(f"{len(reqs)} completions traced, the program reaped {len(cqes)}")
# every CQE of the program, in one-to-one correspondence (order within a user_data kept)
left = list(reqs)
for c in cqes:
    m = next((r for r in left if r["user_data"] == c["user_data"]), None)
    if m is None:
        fail(f"no traced completion for {c}")
    left.remove(m)
    if m["op"] != c["op"] or m["res"] != c["res"] or m["cflags"] != c["flags"]:
        fail(f"{c} traced as op={m['op']} res={m['res']} cflags={m['cflags']}")
    if c["fd"] >= 0 and m.get("fd") != c["fd"]:
        fail(f"{c} traced with fd {m.get('fd')}")
    if not (0 < m["latency_ns"] < 5e9 and m["submit_ns"] <= m["complete_ns"]):
        fail(f"latency of {m} is not positive and ordered")
    if m["sqpoll"] != sqpoll:
        fail(f"{m} sqpoll should be {sqpoll}")
    if sqpoll and not m["comm"].startswith("iou-sqp-"):
        fail(f"{m} was not submitted by the SQ thread")
# multishot: one request, its CQEs counted 1..n, all but the last with F_MORE
by_id = {}
for r in reqs:
    by_id.setdefault(r["id"], []).append(r)
multi = {i: v for i, v in by_id.items() if len(v) > 1}
ops = sorted(v[0]["op"] for v in multi.values())
if ops != ["ACCEPT", "RECV"]:
    fail(f"multishot requests: {ops}")
for v in multi.values():
    if [r["shot"] for r in v] != list(range(1, len(v) + 1)) or \
       [r["more"] for r in v] != [True] * (len(v) - 1) + [False]:
        fail(f"multishot CQEs out of order: {v}")
acc = next(v for v in multi.values() if v[0]["op"] == "ACCEPT")
if acc[-1].get("errno_name") != "ECANCELED" or not all(a["sock"]["peer"].startswith("127.0.0.1:") for a in acc[:-1]):
    fail(f"multishot accept: {acc}")
# each accepted connection says its listener's queue after it, as accept4 does;
# F_SOCK_NONEMPTY (4) is the kernel's word that more were waiting (one more
# may arrive between the two looks, so only that way round)
for a in acc[:-1]:
    q = a.get("accept_queue")
    if not q or q["max"] < 1 or q["queued"] > q["max"] or (a["cflags"] & 4 and not q["queued"]):
        fail(f"accept queue of {a}")
if "accept_queue" in acc[-1]:
    fail(f"the cancelled accept has a queue: {acc[-1]}")
# the linked pair: the SEND ran once the RECV before it completed
send = next(r for r in reqs if r["op"] == "SEND" and r.get("linked_after"))
recv = next(r for r in reqs if r["id"] == send["linked_after"])
if recv["op"] != "RECV" or recv["res"] != 4 or send["res"] != 4 or send["submit_ns"] < recv["submit_ns"]:
    fail(f"linked pair: {recv} -> {send}")
# IOSQE_ASYNC: the RECV went to an io-wq worker, which completed it
if not recv.get("io_wq") or recv["complete_tid"] == recv["submit_tid"] or "io-wq" not in recv["how"]:
    fail(f"the linked RECV was not shown as run by io-wq: {recv}")
bad = [r for r in reqs if r["res"] < 0 and r["op"] == "RECV"]
if len(bad) != 1 or bad[0]["errno_name"] != "EBADF":
    fail(f"failed recv: {bad}")
# requests carry their socket: the echo's RECV/SEND show both ends
for r in reqs:
    if r["op"] in ("RECV", "SEND") and r["res"] > 0 and not r["sock"].get("peer"):
        fail(f"{r} has no peer")
PY
}

@test "uring: every CQE appears under its request: opcode, fd, result, flags, multishot, link, failure" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -e io_uring -- "$URING_PEER" -o "$TMP/cqes.jsonl" scenario
	[ "$status" -eq 0 ]
	check_scenario "$TMP/t.jsonl" "$TMP/cqes.jsonl" 0
	# the syscalls around them: setup's params, enter's counts
	grep -q '"call":"io_uring_setup".*"ret":[0-9]' "$TMP/t.jsonl"
	grep -q '"call":"io_uring_enter".*"returned":"(1 submitted; [0-9]* CQEs\? ready)"' "$TMP/t.jsonl"
	grep -q '"call":"io_uring_register".*"opcode":"IORING_REGISTER_PBUF_RING"' "$TMP/t.jsonl"
}

@test "uring: SQPOLL: the SQ thread's requests appear, attributed to the process, with no io_uring_enter" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -e io_uring -- "$URING_PEER" --sqpoll -o "$TMP/cqes.jsonl" scenario
	[ "$status" -eq 0 ]
	check_scenario "$TMP/t.jsonl" "$TMP/cqes.jsonl" 1
	pid=$("$PYTHON3" -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["pids"][0])' "$TMP/t.jsonl")
	# every request under the traced pid, though its thread is the kernel's
	! grep '"type":"io_uring"' "$TMP/t.jsonl" | grep -v "\"pid\":$pid," || false
	# 14 requests, and at most one io_uring_enter (a wakeup of an SQ thread not yet running)
	[ "$(grep -c '"call":"io_uring_enter"' "$TMP/t.jsonl")" -le 1 ]
}

@test "uring: N echoed messages give exactly N RECV and N SEND completions, with and without SQPOLL" {
	requires root bpf btf python3
	for mode in "" --sqpoll; do
		run_tool run --format json -o "$TMP/e.jsonl" -e io_uring -- "$URING_PEER" $mode -o "$TMP/o.jsonl" echo 200
		[ "$status" -eq 0 ]
		grep -q '^{"recv":200,"send":200,' "$TMP/o.jsonl"
		run "$PYTHON3" -c 'import json,sys,collections
c = collections.Counter(r["op"] for r in map(json.loads, open(sys.argv[1]))
                        if r["type"] == "io_uring" and r["res"] > 0)
end = [json.loads(l) for l in open(sys.argv[1])][-1]
print(c["RECV"], c["SEND"], end["lost"])' "$TMP/e.jsonl"
		echo "# $mode: $output" >&3
		[ "$output" = "200 200 0" ]
	done
}

@test "uring: a zero-copy send's notification is its request's last CQE, not a second send; a socket the ring made and connected has its ends in --by conn and on its CONNECT, with its handshake" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/z.jsonl" -e io_uring -- "$URING_PEER" -o "$TMP/cqes.jsonl" client
	[ "$status" -eq 0 ]
	"$PYTHON3" - "$TMP/z.jsonl" "$TMP/cqes.jsonl" <<'PY'
import json, sys
reqs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "io_uring"]
cqes = [json.loads(l) for l in open(sys.argv[2])]
got = [(r["user_data"], r["op"], r["res"], r["cflags"]) for r in reqs]
want = [(c["user_data"], c["op"], c["res"], c["flags"]) for c in cqes]
assert sorted(got) == sorted(want), (got, want)
zc = [r for r in reqs if r["op"] == "SEND_ZC"]
for i in {r["id"] for r in zc}:
    shots = [r for r in zc if r["id"] == i]
    assert [(r["shot"], r["more"], r["res"], bool(r["cflags"] & 8)) for r in shots] == [(1, True, 11, False), (2, False, 0, True)], shots
PY
	# -s: each request's own buffer, what it sent or what came into it (the
	# notification moved nothing)
	run_tool run -s 8 --format json -o "$TMP/s.jsonl" -e io_uring -- "$URING_PEER" client
	[ "$status" -eq 0 ]
	"$PYTHON3" - "$TMP/s.jsonl" <<'PY'
import json, sys
reqs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "io_uring"]
got = [(r["op"], r.get("data"), r.get("data_truncated", False)) for r in reqs if r["op"] in ("SEND_ZC", "WRITE", "SENDMSG", "RECV", "READ", "RECVMSG")]
# a message's first buffer: the rest of what it moved was in its second; a
# pipe's bytes are no socket's
assert got == [("SEND_ZC", "zero-cop", True), ("SEND_ZC", None, False)] * 2 + [
    ("WRITE", "write\\n", False), ("SENDMSG", "sendmsg", True), ("RECV", "reply", False),
    ("READ", "read!", False), ("RECVMSG", "msg", False), ("WRITE", None, False)], got
PY
	run_tool run -s 16 -q -e io_uring -- "$URING_PEER" client
	[ "$status" -eq 0 ]
	[[ "$(grep -A1 'io_uring READ #' <<<"$output" | tail -1)" =~ ^\ +'» "read!"'$ ]]
	# a datagram's RECV under MSG_TRUNC returns its length, 10: only the 4 B
	# the buffer held are its, never the bytes after the buffer
	run_tool run -s 16 --format json -e io_uring -- "$URING_PEER" dgram
	[ "$status" -eq 0 ]
	[ "$(grep '"type":"io_uring"' <<<"$output" | grep -o '"op":"[A-Z]*"\|"res":[0-9]*\|"data":"[^"]*"\|"data_truncated":true' | paste -sd' ')" = '"op":"RECV" "res":10 "data":"0123" "op":"READ" "res":2 "data":"01"' ]
	# counted once a send, live and from a recording
	run_tool run -c -q -e io_uring -- "$URING_PEER" client
	[ "$status" -eq 0 ]
	[[ "$output" =~ "io_uring SEND_ZC "\ +"2 "\ +"0 ".*\ 22$'\n' ]]
	run_tool run -q --record "$TMP/z.rec" -- "$URING_PEER" client
	[ "$status" -eq 0 ]
	run_tool report -c "$TMP/z.rec"
	[[ "$output" =~ "io_uring SEND_ZC "\ +"2 "\ +"0 ".*\ 22$'\n' ]]
	# the ring's socket: SOCKET, CONNECT, 2 SEND_ZC, WRITE, SENDMSG, RECV, READ,
	# RECVMSG, close;
	# its ends as connected, live (read when each request was submitted) as recorded
	for how in live recorded; do
		if [ $how = live ]; then run_tool run --by conn -q -- "$URING_PEER" client; else run_tool report --by conn "$TMP/z.rec"; fi
		[ "$status" -eq 0 ]
		grep -qE '^TCP 127\.0\.0\.1:[0-9]+ → 127\.0\.0\.1:[0-9]+ +[0-9]+ +9 +13 +37 ' <<<"$output" || die "$how: no row for the ring's socket"
		! grep -q '^TCP - → -' <<<"$output" || die "$how: a row without its ends"
	done
	# as the text view says it: the notification closes the request's story;
	# the CONNECT shows the ends it made, not the unbound socket it was given
	run_tool run -q --explain -e io_uring -- "$URING_PEER" client
	[ "$status" -eq 0 ]
	grep -qE 'io_uring CONNECT #2\(fd [0-9]+, user_data 0x1000000000000002\) 127\.0\.0\.1:[0-9]+ → 127\.0\.0\.1:[0-9]+ += 0 ' <<<"$output"
	# and the handshake it ran, as a connect(2) shows it (matched by its socket:
	# the io_uring_enter that issued it owns none)
	[[ "$(grep -v '└ inline' <<<"$output" | grep -A1 'io_uring CONNECT #2(' | tail -1)" =~ "└ inet_sock_set_state; tcp CLOSE → SYN_SENT → ESTABLISHED" ]]
	# a request's pathless line does not say no hook ran: the connect's did,
	# in the io_uring_enter that issued it, which tracepoints cannot tell apart
	if "$TOOL_BIN" probes | grep -qE '^io_uring +tracepoint '; then
		[ "$(grep -c '└ (kernel path not visible: only a request.s bytes sent and received, and its TCP state changes, are tied to it by tracepoints' <<<"$output")" -eq 1 ]
		! grep -q 'no tracepoint or cgroup hook ran' <<<"$output" || false
	fi
	[ "$(grep -cE 'io_uring SEND_ZC #[0-9]+\(.* = 0 F_NOTIF ' <<<"$output")" -eq 2 ]
	[ "$(grep -A1 -E 'io_uring SEND_ZC #[0-9]+\(.* = 0 F_NOTIF ' <<<"$output" | grep -c '└ inline; CQE 2, the last')" -eq 2 ]
	[ "$(grep -c 'ⓘ a SEND_ZC request: the kernel sends from the process.s own pages without copying them; a second CQE (F_NOTIF)' <<<"$output")" -eq 1 ]
	# each of the client's kinds of request is said once, under its first
	for op in SOCKET CONNECT WRITE SENDMSG READ RECVMSG; do
		[ "$(grep -c "ⓘ a $op request" <<<"$output")" -eq 1 ]
		[[ "$(grep -v '└' <<<"$output" | grep -A1 -E "io_uring $op #[0-9]+\\(" | sed -n 2p)" =~ "ⓘ a $op request" ]]
	done
}

@test "uring: the text view shows each request, how it ran, and its kernel path; -e socket leaves them out" {
	requires root bpf btf python3
	run_tool run -e io_uring -- "$URING_PEER" scenario
	[ "$status" -eq 0 ]
	[[ "$output" =~ "io_uring RECV #2(fd "[0-9]+", user_data 0x1b00000000000002) 127.0.0.1:"[0-9]+" → 127.0.0.1:"[0-9]+" = 5 " ]]
	[[ "$output" =~ "└ linked: issued once #" ]]
	[[ "$output" =~ "armed on poll → task work; CQE 2, more to come" ]]
	[[ "$output" =~ "└ sock_recv_length (5 B)" || "$output" =~ "└ sock_recv_length (-EAGAIN) → sock_recv_length (5 B)" ]]
	[[ "$output" =~ "= -EBADF" ]]
	[[ "$output" =~ "19 io_uring completions, 0 events lost" ]]
	# -k: the stack at the socket tracepoint shows the path the request took
	run_tool run -k -e io_uring -- "$URING_PEER" scenario
	[ "$status" -eq 0 ]
	# inline at submission, or (data not there yet) from task work after the poll wakeup
	grep -qE "(io_submit_sqes → io_issue_sqe|task_work.* → io_(req_task_submit|poll_task_func)) → .*io_recv → sock_recvmsg \(5 B\)" <<<"$output"
	[[ "$output" =~ "io_wq_submit_work → io_issue_sqe → __io_issue_sqe → io_recv → sock_recvmsg (4 B)" ]]
	run_tool run -e socket -- "$URING_PEER" scenario
	[ "$status" -eq 0 ]
	! [[ "$output" =~ "io_uring" && "$output" =~ "completions" ]] || false
	! [[ "$output" =~ "io_uring RECV" ]] || false
}

@test "uring: attached to a running io_uring server, the multishot ACCEPT it armed before shows each connection it takes, and a RECV waiting since before shows its bytes, marked as submitted before tracing began" {
	requires root bpf btf python3
	"$TOOL_BIN" serve io_uring --port 0 >"$TMP/server.out" 2>&1 &
	server=$!
	PIDS+=($server)
	wait_for_line "$TMP/server.out" 'Ctrl-C'
	port=$(grep -oE ':[0-9]+ \(Ctrl-C' "$TMP/server.out" | tr -dc 0-9)
	# a connection made before the attach: the server's RECV on it waits from then
	"$PYTHON3" -c 'import os, socket, sys, time
c = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
print("connected", flush=True)
while not os.path.exists(sys.argv[2]): time.sleep(0.02)
c.sendall(b"late bytes"); assert c.recv(64) == b"late bytes"' "$port" "$TMP/go" >"$TMP/early" &
	early=$!
	PIDS+=($early)
	wait_for_line "$TMP/early" connected
	"$TOOL_BIN" attach --duration 3 -s 16 --format json -o "$TMP/a.jsonl" -e io_uring "$server" 2>"$TMP/err" &
	tracer=$!
	PIDS+=($tracer)
	wait_for_line "$TMP/a.jsonl" '"type":"start"'
	touch "$TMP/go"
	wait $early
	run -0 "$TOOL_BIN" load --port "$port" --connections 2 --requests 2
	rc=0
	wait $tracer || rc=$?
	[ "$rc" -eq 0 ]
	"$PYTHON3" - "$TMP/a.jsonl" "$port" <<'PY'
import json, sys
reqs = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "io_uring"]
acc = [r for r in reqs if r["op"] == "ACCEPT"]
# one request, both its CQEs: each a new connection to the port
assert [(r["shot"], r["more"]) for r in acc] == [(1, True), (2, True)], acc
assert len({r["id"] for r in acc}) == 1 and all(r["res"] >= 0 for r in acc), acc
assert all(r["sock"]["local"].endswith(":" + sys.argv[2]) and r["sock"]["peer"] for r in acc), acc
# its first shot began before the trace (its time is from the attach on); the
# second began at the first CQE; the fd it was given is no longer in the request
assert acc[0].get("began_before_trace") and not acc[1].get("began_before_trace"), acc
assert "submitted before tracing began" in acc[0]["how"] and "before" not in acc[1]["how"], acc
assert all("fd" not in r for r in acc), acc
# the RECV that waited on the early connection: taken up when its bytes came
early = [r for r in reqs if r["op"] == "RECV" and r.get("began_before_trace")]
assert len(early) == 1 and early[0]["res"] == 10 and early[0]["data"] == "late bytes", early
assert "fd" not in early[0] and early[0]["sock"]["local"].endswith(":" + sys.argv[2]), early
# the rest were submitted in the trace
assert not any(r.get("began_before_trace") for r in reqs if r not in acc[:1] + early), reqs
PY
	kill $server
}
