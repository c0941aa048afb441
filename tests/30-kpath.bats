#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The kernel path under each call, on this machine's kernel (tracepoint
# mechanism: no kprobes, fentry refused), and `socktrace probes`.  The fentry
# and kprobe mechanisms are exercised for real in a VM: 40-vm.bats.

load helpers

# path_of TRACE CALL: the kernel path line of the first CALL that has one
# (a close of a socket another process still holds releases nothing)
path_of() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == sys.argv[2] and r["kernel_path"]["line"]:
        print(r["kernel_path"]["line"]); break' "$@"
}

# frames_of TRACE CALL: every frame name on the call's hit stacks (-k)
frames_of() {
	python3 -c 'import json,re,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == sys.argv[2] and r["kernel_path"]["line"]:
        for h in r["kernel_path"]["hits"]:
            for f in h.get("stack", "").split(" ← "):
                print(re.sub(r"\+0x[0-9a-f]+$", "", f))
        break' "$@"
}

@test "kpath: send/recv/connect/listen/accept/close paths hold the functions the kernel stack shows" {
	requires root bpf btf python3
	run_tool run -k --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" demo
	[ "$status" -eq 0 ]
	[[ "$(path_of "$TMP/t.jsonl" listen)" =~ ^"__sys_listen → inet_listen → ".*"inet_csk_listen_start" ]]
	[[ "$(path_of "$TMP/t.jsonl" connect)" =~ ^"__sys_connect → inet_stream_connect → ".*"tcp_v4_connect" ]]
	[[ "$(path_of "$TMP/t.jsonl" sendto)" =~ ^"__sys_sendto → ".*"tcp_sendmsg → tcp_sendmsg_locked"$ ]]
	[[ "$(path_of "$TMP/t.jsonl" recvfrom)" =~ ^"__sys_recvfrom → ".*"tcp_recvmsg" ]]
	# the server's accept waits for the client: the stack where it slept
	[[ "$(path_of "$TMP/t.jsonl" accept)" =~ ^"__sys_accept4 → do_accept → inet_accept → inet_csk_accept → ".*"(slept "[0-9.]+(ns|µs|ms)")" ]]
	[[ "$(path_of "$TMP/t.jsonl" close)" =~ ^"__fput → sock_close → inet_release → ".*"tcp_close" ]]
	# a -k stack begins where the hook fired, not in the BPF program that took it
	python3 -c 'import json,re,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    for h in r.get("kernel_path", {}).get("hits", []) if r.get("type") == "call" else []:
        if "stack" in h:
            top = h["stack"].split(" ← ")[0]
            assert not re.match(r"(__?)*(bpf|trace|perf)_", top), (r["call"], h["stack"])' "$TMP/t.jsonl"
	# every function named on a path is a frame of a stack the kernel gave (-k)
	for call in listen connect sendto recvfrom accept close; do
		frames=$(frames_of "$TMP/t.jsonl" $call)
		line=$(path_of "$TMP/t.jsonl" $call | sed 's/ (slept.*//')
		for fn in ${line//→/ }; do
			grep -qx -- "$fn" <<<"$frames" || die "$call: $fn is on the path but on no stack: $frames"
		done
	done
}

@test "kpath: every hit lies inside its call's time, where stacks were walked (-k) too" {
	requires root bpf btf python3
	# the time spent walking stacks is left out of a call's duration: it must
	# be left out of its hits' offsets too, or a hit lands past the call's end
	for k in -k ""; do
		run_tool run $k -q --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" demo
		[ "$status" -eq 0 ]
		python3 - "$TMP/t.jsonl" <<'PY'
import json, sys
n = 0
for l in open(sys.argv[1]):
    c = json.loads(l)
    path = c.get("kernel_path", {}) if c["type"] == "call" else {}
    if path.get("deferred"):
        continue  # a close's release runs after the call returned
    for h in path.get("hits", []):
        n += 1
        assert h["start_ns"] + h.get("dur_ns", 0) <= c["dur_ns"], (c["call"], c["dur_ns"], h)
assert n >= 10, n
PY
	done
}

@test "kpath: TCP state changes of the call's own socket, in order" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	python3 - "$TMP/t.jsonl" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if '"call"' in l]
states = {}
for c in calls:
    s = c.get("kernel_path", {}).get("tcp_states")
    if s:
        states.setdefault(c["call"], []).append(s)
assert states["listen"] == ["CLOSE → LISTEN"], states
# the client's half-close sends its FIN
assert states["shutdown"] == ["ESTABLISHED → FIN_WAIT1"], states
shut = next(c for c in calls if c["call"] == "shutdown")
assert shut["kernel_path"]["line"].startswith("__sys_shutdown → inet_shutdown → tcp_shutdown"), shut
# the client's connect: its own socket only, not the server side's changes;
# ESTABLISHED only when the SYN-ACK was handled inside the call (not by ksoftirqd)
assert states["connect"] in (["CLOSE → SYN_SENT → ESTABLISHED"], ["CLOSE → SYN_SENT"]), states
# closing the listener; the accepted socket after the peer's FIN
assert "LISTEN → CLOSE" in states["close"], states
assert any(s.startswith("CLOSE_WAIT → LAST_ACK") for s in states["close"]), states
closes = [c for c in calls if c["call"] == "close"]
assert all(c["kernel_path"].get("deferred") for c in closes if c["kernel_path"]["line"]), closes
PY
}

@test "kpath: a close that resets (bytes unread, SO_LINGER 0) says RST sent, in text, JSON and --explain; a plain close does not" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -e close,send -- "$PEERPAIR" reset -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	python3 - "$TMP/t.jsonl" "$TMP/oracle.jsonl" <<'PY'
import json, sys
calls = [json.loads(l) for l in open(sys.argv[1]) if '"call"' in l]
oracle = [json.loads(l) for l in open(sys.argv[2])]
acc = next(o["ret"] for o in oracle if o["call"] == "accept")
sends = [(c["ret"], c.get("errno")) for c in calls if c["call"] == "sendto"]
want = [(o["ret"], o.get("errno")) for o in oracle if o["call"] == "sendto"]
assert sends == want == [(6, None), (-1, 104), (-1, 104), (1, None)], (sends, want)
closes = [c["kernel_path"] for c in calls if c["call"] == "close" and c["args"]["fd"] == acc]
assert len(closes) == 3, closes
for p, rst in zip(closes, (True, True, False)):
    assert p.get("rst_sent", False) is rst, closes
    assert ("tcp_send_reset" in [h["fn"] for h in p["hits"]]) is rst, p
# the unread bytes: the state goes straight to CLOSE; SO_LINGER 0 by tcp_disconnect
assert closes[0]["tcp_states"] == closes[1]["tcp_states"] == "ESTABLISHED → CLOSE", closes
assert "tcp_disconnect" in closes[1]["line"], closes[1]
assert closes[2]["tcp_states"] == "ESTABLISHED → FIN_WAIT1", closes[2]
# the client's closes and the listener's sent none
assert not [c for c in calls if c["call"] == "close" and c["args"]["fd"] != acc and c["kernel_path"].get("rst_sent")]
PY
	run_tool run --explain --color never -e close -- "$PEERPAIR" reset -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	[ "$(grep -c '; tcp ESTABLISHED → CLOSE, RST sent \[after close returned\]$' <<<"$output")" -eq 2 ]
	[ "$(grep -c '; tcp ESTABLISHED → FIN_WAIT1 \[after close returned\]$' <<<"$output")" -eq 1 ]
	[ "$(grep -c 'ⓘ RST sent: the connection was reset, not closed with a FIN, because bytes that arrived were never read' <<<"$output")" -eq 1 ]
}

@test "kpath: the text view shows the path under the call; calls without a hook say why" {
	requires root bpf btf
	run_tool run --color never -e socket,connect -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" =~ "kernel path via tracepoints + cgroup hooks (fentry: refused by this kernel; kprobes: not in this kernel; socktrace probes says why)" ]]
	[[ "$output" =~ "connect("[^$'\n']*$'\n'" "{42}"└ __sys_connect → inet_stream_connect → " ]]
	[[ "$output" =~ "socket(AF_INET, "[^$'\n']*$'\n'" "{42}"└ inet_create"$'\n' ]]
	# a unix socket passes no tracepoint and no cgroup hook on its way in
	run_tool run --color never -e socket -- "$PEERPAIR" unix
	[ "$status" -eq 0 ]
	[[ "$output" =~ "socket(AF_UNIX, "[^$'\n']*$'\n'" "{42}"└ (kernel path not visible: no tracepoint or cgroup hook ran inside this call; fentry refused, no kprobes)" ]]
	# the second socket's reason is the first's: said once, then referred to
	[ "$(grep -A1 'socket(AF_UNIX, ' <<<"$output" | tail -1)" = "$(printf '%42s' '')└ (kernel path not visible: as above)" ]
	[ "$(grep -c 'no tracepoint or cgroup hook ran' <<<"$output")" = 1 ]
	# JSON keeps the whole note on every call
	run_tool run --format json -e socket -- "$PEERPAIR" unix
	[ "$(grep -c '"note":"kernel path not visible: no tracepoint or cgroup hook ran' <<<"$output")" = 2 ]
}

# paths_of TRACE: "call<TAB>path line" of every call with a hook, in order
paths_of() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("type") == "call" and "kernel_path" in r:
        print(r["call"], r["kernel_path"]["line"], sep="\t")' "$1"
}

@test "kpath: cgroup socket hooks show where socket, bind and a UDP socket's calls went; results unchanged" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" udp -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	# every call returned what the program saw: the hooks only watch
	run python3 "$TOP/tests/oracle.py" "$TMP/oracle.jsonl" "$TMP/t.jsonl"
	[ "$status" -eq 0 ]
	run paths_of "$TMP/t.jsonl"
	echo "$output" >&2
	[ "$output" = "$(printf '%s\t%s\n' socket inet_create bind inet_bind socket inet_create \
		sendto '__sys_sendto → udp_sendmsg' recvfrom '__sys_recvfrom → sock_recvmsg → udp_recvmsg' \
		close inet_release close inet_release)" ]
	python3 - "$TMP/t.jsonl" <<'PY'
import json, sys
calls = [r for r in map(json.loads, open(sys.argv[1])) if r["type"] == "call" and "kernel_path" in r]
for c in calls:
    for h in c["kernel_path"]["hits"]:
        if h["fn"] in ("inet_create", "inet_bind", "udp_sendmsg", "udp_recvmsg", "inet_release"):
            assert h["kind"] in ("cgroup_hook", "callee") and "stack" not in h, c
    # the send and the receive also read which protocol function ran: the same one
    if c["call"] in ("sendto", "recvfrom"):
        assert [h["kind"] for h in c["kernel_path"]["hits"] if h["fn"] == "udp_" + c["call"][:4] + "msg"] == ["cgroup_hook", "callee"], c
# the release runs after close returned (the deferred fput)
assert all(c["kernel_path"].get("deferred") for c in calls if c["call"] == "close"), calls
PY
}

@test "kpath: cgroup hooks for IPv6 and a unix connect; where a stack shows more, it is the path" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -- python3 -c '
import os, socket, sys
u = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); u.bind(("::1", 0))
c = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); c.connect(u.getsockname()[:2])
c.send(b"x"); u.recvfrom(10)
# to a v4-mapped address: IPv6 hands the datagram to IPv4, whose hook runs in udp_sendmsg
v = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); v.bind(("127.0.0.1", 0))
w = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
w.sendmsg([b"y"], [], 0, ("::ffff:127.0.0.1", v.getsockname()[1]))
path = sys.argv[1]
l = socket.socket(socket.AF_UNIX); l.bind(path); l.listen(1)
k = socket.socket(socket.AF_UNIX); k.connect(path)
t = socket.socket(); t.bind(("127.0.0.1", 0)); t.listen(1)
s = socket.socket(); s.connect(t.getsockname())' "$TMP/sock"
	[ "$status" -eq 0 ]
	run paths_of "$TMP/t.jsonl"
	echo "$output" >&2
	grep -qxP 'socket\tinet6_create' <<<"$output"
	grep -qxP 'bind\tinet6_bind' <<<"$output"
	# connected: no address to hook on the send (the receive asks for one),
	# but the socket says which protocol function it ran
	grep -qxP 'connect\tudpv6_pre_connect' <<<"$output"
	grep -qxP 'sendto\t__sys_sendto → udpv6_sendmsg' <<<"$output"
	grep -qxP 'recvfrom\t__sys_recvfrom → sock_recvmsg → udpv6_recvmsg' <<<"$output"
	grep -qxP 'sendmsg\t__sys_sendmsg → ___sys_sendmsg → ____sys_sendmsg → udpv6_sendmsg → udp_sendmsg' <<<"$output"
	grep -qxP 'connect\tunix_stream_connect' <<<"$output"
	# TCP: the state change's stack, not the pre_connect hook that ran beside it
	grep -qP '^connect\t__sys_connect → inet_stream_connect → .*tcp_v4_connect' <<<"$output"
	! grep -q 'tcp_v4_pre_connect' <<<"$output" || false
}

@test "kpath: a send or receive ends in the function the socket ran (unix, a TCP read at EOF, netlink)" {
	requires root bpf btf python3
	run_tool run --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" unix -o "$TMP/oracle.jsonl"
	[ "$status" -eq 0 ]
	run python3 "$TOP/tests/oracle.py" "$TMP/oracle.jsonl" "$TMP/t.jsonl"
	[ "$status" -eq 0 ]
	run paths_of "$TMP/t.jsonl"
	echo "$output" >&2
	[ "$(grep -cxP 'sendto\t__sys_sendto → unix_stream_sendmsg' <<<"$output")" = 2 ]
	[ "$(grep -cxP 'recvfrom\t__sys_recvfrom → sock_recvmsg → unix_stream_recvmsg' <<<"$output")" = 3 ]
	python3 - "$TMP/t.jsonl" <<'PY'
import json, sys
for c in map(json.loads, open(sys.argv[1])):
    if c["type"] == "call" and c["call"] == "sendto":
        h = c["kernel_path"]["hits"]
        assert [x["kind"] for x in h] == ["tracepoint", "callee"], h
        assert h[1]["fn"] == "unix_stream_sendmsg" and h[1]["val"] == 0 and "stack" not in h[1], h
PY
	# TCP: a read with data shows the stack its data took; one at EOF ends in tcp_recvmsg
	run_tool run --format json -o "$TMP/t.jsonl" -- "$PEERPAIR" tcp4
	[ "$status" -eq 0 ]
	run paths_of "$TMP/t.jsonl"
	grep -qxP 'recvfrom\t__sys_recvfrom → sock_recvmsg → tcp_recvmsg → tcp_recvmsg_locked → tcp_rcv_space_adjust' <<<"$output"
	grep -qxP 'recvfrom\t__sys_recvfrom → sock_recvmsg → tcp_recvmsg' <<<"$output"
	grep -qxP 'sendto\t__sys_sendto → tcp_sendmsg → tcp_sendmsg_locked' <<<"$output"
	# any family: a netlink request and its answer
	run_tool run --format json -o "$TMP/t.jsonl" -e send,recv -- python3 -c '
import socket
n = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0); n.bind((0, 0))
n.send(b"\x14\0\0\0\x12\0\x01\x03\0\0\0\0\0\0\0\0\x02\0\0\0"); n.recv(65536)'
	[ "$status" -eq 0 ]
	run paths_of "$TMP/t.jsonl"
	echo "$output" >&2
	grep -qxP 'sendto\t__sys_sendto → netlink_sendmsg' <<<"$output"
	grep -qxP 'recvfrom\t__sys_recvfrom → sock_recvmsg → netlink_recvmsg' <<<"$output"
}

@test "kpath: with CAP_BPF and CAP_PERFMON alone the calls are traced; a missing path names the capability that shows it" {
	requires root bpf btf
	command -v setpriv >/dev/null || die "setpriv (util-linux) missing"
	# root's uid, but only these two capabilities: no CAP_SYSLOG (kernel
	# symbols), no CAP_NET_ADMIN (cgroup programs)
	run --separate-stderr setpriv --bounding-set -all,+bpf,+perfmon -- \
		"$TOOL_BIN" run --color never -e socket,sendto -- "$PEERPAIR" udp
	echo "$output" >&2
	[ "$status" -eq 0 ]
	[[ "$output" =~ "socket(AF_INET, SOCK_DGRAM, 0)"[^$'\n']*"= "[0-9]+[^$'\n']*$'\n'" "{42}"└ (kernel path not visible: no tracepoint on its way in this kernel, and cgroup hooks need CAP_NET_ADMIN; " ]]
	[[ "$output" =~ "sendto("[0-9]+", 8 B, "[^$'\n']*"= 8"[^$'\n']*$'\n'" "{42}"└ (kernel path not visible: the kernel's symbols are unreadable (/proc/kallsyms gives them with CAP_SYSLOG))" ]]
	[[ "$output" =~ "socktrace: peerpair exited 0 — 3 calls traced, 0 events lost" ]]
}

@test "probes: fentry and kprobe unavailable with the true reason; tracepoint chosen" {
	requires root bpf btf python3
	run_tool probes
	[ "$status" -eq 0 ]
	[[ "${lines[1]}" =~ ^"  fentry      refused by this kernel (load: Operation not permitted)"$ ]]
	[[ "${lines[2]}" =~ ^"  kprobe      not in this kernel (no kprobe PMU: built without CONFIG_KPROBES)"$ ]]
	[[ "$output" =~ "sendmsg      tracepoint  tcp_sendmsg_locked: attached, sock_send_length: attached, cgroup sendmsg4 (in udp_sendmsg): attached" ]]
	[[ "$output" =~ "sock_create  tracepoint  cgroup sock_create (in inet_create, inet6_create): attached"$'\n' ]]
	[[ "$output" =~ "requests     tracepoint  io_uring_submit_req, io_uring_complete(ctx, req, cqe), " ]]
	[[ "$output" =~ "tcp states   tracepoint  inet_sock_set_state, tcp_send_reset"$'\n' ]]
	# what the kernel refuses every hook is said once, not under each hook
	[ "$(grep -c 'refused by this kernel' <<<"$output")" -eq 1 ]
	run_tool probes --format json
	[ "$status" -eq 0 ]
	python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["mechanisms"]["fentry"]["available"] is False
assert "Operation not permitted" in r["mechanisms"]["fentry"]["why_not"]
assert r["mechanisms"]["kprobe"]["available"] is False
hooks = {h["hook"]: h for h in r["hooks"]}
assert set(hooks) == {"sock_create", "bind", "listen", "accept", "connect", "sendmsg", "recvmsg", "close", "io_uring", "shutdown"}
assert r["io_uring_requests"]["available"] is True
assert r["io_uring_requests"]["tracepoints"].startswith("io_uring_submit_req, io_uring_complete(ctx, req, cqe)")
assert all(h["mechanism"] == "tracepoint" for h in hooks.values())
assert {t["name"]: t["state"] for t in hooks["recvmsg"]["tracepoints"]}["sock_recv_length"] == "attached"
assert "kprobe" in hooks["connect"]["why_not"]
cg = {c["name"]: c for h in hooks.values() for c in h["cgroup_hooks"]}
assert set(cg) == {"sock_create", "bind4", "bind6", "connect4", "connect6", "unix_connect", "sendmsg4", "sendmsg6", "recvmsg4", "recvmsg6", "sock_release"}, cg
assert all(c["state"] == "attached" for c in cg.values()), cg
assert cg["sock_release"]["runs_in"] == "inet_release"' <<<"$output"
}

@test "probes: forcing a mechanism the kernel lacks fails clearly, exit 1, nothing loaded" {
	requires root bpf btf
	run_tool run --mechanism kprobe -- true
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: --mechanism kprobe: kprobes are not in this kernel (no kprobe PMU: built without CONFIG_KPROBES); use --mechanism auto" ]
	run_tool run --mechanism fentry -- true
	[ "$status" -eq 1 ]
	[[ "$stderr" =~ ^"socktrace: --mechanism fentry: fentry is refused by this kernel (load: " ]]
	run_tool probes --mechanism kprobe
	[ "$status" -eq 1 ]
	run_tool run --mechanism tracepoint -q -- true
	[ "$status" -eq 0 ]
	run_tool run --mechanism bogus -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: invalid mechanism 'bogus' (expected auto, fentry, kprobe, tracepoint)" ]]
}
