#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The fentry and kprobe mechanisms, for real: this machine's kernel has
# neither, so Debian's stock kernel (kprobes, fentry, BTF) boots under qemu
# with the static socktrace and peer pair in a busybox initramfs, and
# tests/vm/guest-test.sh traces the peer pair under each forced mechanism.
# One boot serves every test here (about 40 s under software emulation).

load helpers

setup_file() {
	export VM_OUT="$BATS_FILE_TMPDIR/vm.out" VM_WHY=""
	local top=$(cd "$BATS_TEST_DIRNAME/.." && pwd) build=${BUILD:-$(cd "$BATS_TEST_DIRNAME/.." && pwd)/build}
	if [ "$(id -u)" != 0 ]; then
		VM_WHY="needs root (mknod for the initramfs console)"
		return
	fi
	for t in qemu-system-x86_64 busybox cpio; do
		command -v $t >/dev/null || { VM_WHY="$t missing (make deps-vm)"; return; }
	done
	if [ ! -x "$build/vm/socktrace" ] || [ ! -x "$build/vm/peerpair" ] || [ ! -x "$build/vm/uring_peer" ]; then
		VM_WHY="static binaries missing (make vm-binaries)"
		return
	fi
	local kernel
	if ! kernel=$("$top/tests/vm/fetch-kernel.sh" "$build/vm" 2>"$BATS_FILE_TMPDIR/fetch.err"); then
		VM_WHY="cannot fetch Debian's kernel package: $(tail -1 "$BATS_FILE_TMPDIR/fetch.err")"
		return
	fi
	KERNEL=$kernel TMO=240 "$top/tests/vm/qemu-run.sh" "$build/vm" "$top/tests/vm/guest-test.sh" \
		"$build/vm/socktrace" "$build/vm/peerpair" "$build/vm/uring_peer" >"$VM_OUT" 2>&1
	echo "$?" >"$BATS_FILE_TMPDIR/vm.rc"
}

requires_vm() {
	if [ -n "$VM_WHY" ]; then
		[ "${TEST_STRICT:-0}" = 1 ] && die "TEST_STRICT: cannot skip: $VM_WHY"
		skip "$VM_WHY"
	fi
	[ "$(cat "$BATS_FILE_TMPDIR/vm.rc")" = 0 ] || die "the VM run failed: $(tail -20 "$VM_OUT")"
}

# section NAME: the JSON lines the guest printed between its markers
section() {
	sed -n "/^VM-TRACE-BEGIN $1\$/,/^VM-TRACE-END $1 /p" "$VM_OUT" | grep '^{'
}

# paths MECH: "call<TAB>path line<TAB>tcp states" per traced call
paths() {
	section "$1" | python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    if r["type"] == "call":
        p = r.get("kernel_path", {})
        print(r["call"], p.get("line", ""), p.get("tcp_states", ""), sep="\t")'
}

check_paths() {
	local mech=$1 out
	out=$(paths "$mech")
	echo "$out" >&2
	[ -n "$out" ] || die "no calls traced under $mech"
	# the guest's peer pair: socket bind listen getsockname socket connect accept4 ...
	grep -qP '^socket\t__sock_create → inet_create \(' <<<"$out"
	grep -qP '^bind\t__sys_bind → inet_bind \(' <<<"$out"
	grep -qP '^listen\t__sys_listen → inet_listen \(.*\tCLOSE → LISTEN$' <<<"$out"
	# ESTABLISHED comes with the SYN-ACK: inside connect when this CPU's softirq
	# handles it, outside (ksoftirqd) when the emulated machine defers it
	grep -qP '^connect\t__sys_connect → inet_stream_connect → tcp_v4_connect \(.*\tCLOSE → SYN_SENT( → ESTABLISHED)?$' <<<"$out"
	grep -qP '^accept4\tdo_accept → inet_accept \(' <<<"$out"
	# Debian 6.1's send syscalls call __sock_sendmsg, not sock_sendmsg (vm-testing.md P1)
	[ "$(grep -cP '^sendto\t__sock_sendmsg → tcp_sendmsg \(4 B|^sendto\t__sock_sendmsg → tcp_sendmsg \(5 B' <<<"$out")" = 2 ]
	[ "$(grep -cP '^recvfrom\tsock_recvmsg → tcp_recvmsg \([045] B' <<<"$out")" = 3 ]
	grep -qP '^close\tsock_close → inet_release \(.*\tLISTEN → CLOSE$' <<<"$out"
	grep -qP '^shutdown\t__sys_shutdown → inet_shutdown → tcp_shutdown \(.*\tESTABLISHED → FIN_WAIT1$' <<<"$out"
}

@test "vm: the stock kernel boots and socktrace runs in it" {
	requires_vm
	grep -q '^GUEST-START 6\.' "$VM_OUT"
	grep -q '^VM-PROBES-END rc=0$' "$VM_OUT"
	grep -q '^VM-TRACE-END fentry rc=0$' "$VM_OUT"
	grep -q '^VM-TRACE-END kprobe rc=0$' "$VM_OUT"
	grep -q '^VM-TRACE-END tracepoint rc=0$' "$VM_OUT"
}

@test "vm: probes finds fentry and kprobes there, and chooses fentry" {
	requires_vm
	sed -n '/^VM-PROBES-BEGIN$/,/^VM-PROBES-END/p' "$VM_OUT" | grep '^{' | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
assert r["mechanisms"]["fentry"]["available"] is True, r["mechanisms"]
assert r["mechanisms"]["kprobe"]["available"] is True, r["mechanisms"]
# Debian 6.1 has no CONFIG_FPROBE: kprobe.multi is refused, kprobes go one by one
assert r["mechanisms"]["kprobe"]["multi"] is False, r["mechanisms"]
assert "kprobe.multi not in this kernel" in r["mechanisms"]["kprobe"]["multi_why_not"], r["mechanisms"]
for h in r["hooks"]:
    assert h["mechanism"] == "fentry", h
    states = {f["name"]: f["state"] for f in h["functions"]}
    assert "attached" in states.values(), h
send = next(h for h in r["hooks"] if h["hook"] == "sendmsg")
states = {f["name"]: f["state"] for f in send["functions"]}
assert states["__sock_sendmsg"] == "attached" and states["tcp_sendmsg"] == "attached", states'
}

@test "vm: --mechanism fentry gives the full kernel path of every call" {
	requires_vm
	check_paths fentry
}

@test "vm: --mechanism kprobe gives the same paths" {
	requires_vm
	check_paths kprobe
}

@test "vm: --mechanism tracepoint on 6.1: cgroup hooks (on a cgroup2 mount of socktrace's own) show UDP paths" {
	requires_vm
	grep -q '^VM-TRACE-END tracepoint rc=0$' "$VM_OUT"
	out=$(paths tracepoint)
	echo "$out" >&2
	[ "$(grep -cP '^socket\tinet_create\t$' <<<"$out")" = 2 ]
	grep -qP '^bind\tinet_bind\t$' <<<"$out"
	# 6.1 has no sock_send_length/sock_recv_length: the cgroup hook alone is the path
	grep -qP '^sendto\tudp_sendmsg\t$' <<<"$out"
	grep -qP '^recvfrom\tudp_recvmsg\t$' <<<"$out"
	[ "$(grep -cP '^close\tinet_release\t$' <<<"$out")" = 2 ]
}

@test "vm: -k adds each hit's symbolized kernel stack" {
	requires_vm
	section kstack | python3 -c '
import json, sys
calls = [json.loads(l) for l in sys.stdin if "\"call\"" in l]
assert len(calls) == 2, calls
for c in calls:
    stacks = [h["stack"] for h in c["kernel_path"]["hits"] if "stack" in h]
    assert stacks, c
    hits = [h for h in c["kernel_path"]["hits"] if "stack" in h]
    tcp = next(h["stack"] for h in hits if h["fn"] == "tcp_sendmsg").split(" ← ")
    # innermost first, from the hooked function (the program and its trampoline
    # left out), then its callers
    names = [f.split("+")[0] for f in tcp]
    assert names[0] == "tcp_sendmsg", tcp
    assert names.index("tcp_sendmsg") < names.index("__sock_sendmsg") < names.index("__sys_sendto"), tcp'
}

@test "vm: -Z, -z, --min-duration and --ports load on 6.1; -Z shows only the refused connect, -z all but it" {
	requires_vm
	grep -q '^VM-TRACE-END failed rc=0$' "$VM_OUT"
	section failed | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
calls = [r for r in rs if r["type"] == "call"]
assert [(c["call"], c["errno"]) for c in calls] == [("connect", 111)], calls
assert "tcp_v4_connect" in calls[0]["kernel_path"]["line"], calls[0]
assert rs[-1]["not_shown_by_result_filter"] == 6, rs[-1]'
	grep -q '^VM-TRACE-END successful rc=0$' "$VM_OUT"
	section successful | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
calls = [r for r in rs if r["type"] == "call"]
assert [c["call"] for c in calls] == ["socket", "bind", "getsockname", "close", "socket", "close"], calls
assert all(c["ret"] >= 0 for c in calls), calls
assert rs[-1]["not_shown_by_result_filter"] == 1, rs[-1]'
	# --ports (a range among them): the peer pair uses none, so every call is counted, none shown
	grep -q '^VM-TRACE-END ports rc=0$' "$VM_OUT"
	section ports | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
assert not [r for r in rs if r["type"] == "call"], rs
assert rs[-1]["calls"] == 0 and rs[-1]["not_shown_by_result_filter"] >= 14, rs[-1]'
}

@test "vm: on 6.1 under fentry, a close with bytes unread and one with SO_LINGER 0 say RST sent, a plain one not" {
	requires_vm
	grep -q '^VM-TRACE-END reset rc=0$' "$VM_OUT"
	section reset | python3 -c '
import json, sys
rs = [json.loads(l) for l in sys.stdin if l.startswith("{")]
assert "kernel path via fentry" in rs[0]["kernel_path"], rs[0]
calls = [r for r in rs if r["type"] == "call"]
# the listener is fd 3, each client 4, the accepted socket 5
closes = [c["kernel_path"] for c in calls if c["call"] == "close" and c["args"]["fd"] == 5]
assert [p.get("rst_sent", False) for p in closes] == [True, True, False], closes
assert all(p["line"].startswith("sock_close → inet_release") for p in closes), closes
assert [(c["ret"], c.get("errno")) for c in calls if c["call"] == "sendto"] == [(6, None), (-1, 104), (-1, 104), (1, None)], calls'
}

@test "vm: io_uring on 6.1 (older tracepoints): every CQE traced, a zero-copy send's notification too, a CONNECT's handshake, -s's buffers; fentry shows io_issue_sqe → io_recv → sock_recvmsg; --by conn counts them" {
	requires_vm
	grep -q '^VM-TRACE-END uring rc=0$' "$VM_OUT"
	section uring-cqes >"$BATS_TEST_TMPDIR/cqes.jsonl"
	section uring | python3 -c '
import json, sys
cqes = [json.loads(l) for l in open(sys.argv[1])]
reqs = [json.loads(l) for l in sys.stdin if "\"io_uring\"" in l]
reqs = [r for r in reqs if r["type"] == "io_uring"]
assert len(cqes) == 19 and len(reqs) == len(cqes), (len(cqes), reqs)
left = list(reqs)
for c in cqes:
    m = next(r for r in left if r["user_data"] == c["user_data"])
    left.remove(m)
    assert m["op"] == c["op"] and m["res"] == c["res"] and m["cflags"] == c["flags"], (c, m)
recv = next(r for r in reqs if r["op"] == "RECV" and r["res"] == 5)
line = recv["kernel_path"]["line"]
assert line.startswith("io_issue_sqe → io_recv → sock_recvmsg"), line
send = next(r for r in reqs if r["op"] == "SEND" and r["res"] == 5)
assert "io_send → " in send["kernel_path"]["line"], send' "$BATS_TEST_TMPDIR/cqes.jsonl"
	# --by conn: the connections the requests served, each way
	grep -q '^VM-TRACE-END byconn rc=0$' "$VM_OUT"
	section byconn | python3 -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"]]
assert len(conns) == 6 and all(c["bytes_in"] >= 4 and c["bytes_out"] >= 4 and c["closed"] for c in conns), conns'
	# -e send,recv: the client's three, by its syscalls, each ended by its close
	grep -q '^VM-TRACE-END byconn-e rc=0$' "$VM_OUT"
	section byconn-e | python3 -c '
import json, sys
s = next(json.loads(l) for l in sys.stdin if "\"summary\"" in l)
conns = [c for c in s["connections"] if c["peer"]]
assert len(conns) == 3 and all(c["bytes_out"] >= 2 and c["closed"] for c in conns), conns
assert {c["call"] for c in s["calls"]} == {"sendto", "recvfrom"}, s["calls"]'
	# SEND_ZC: each notification CQE traced, as its request's second and last
	grep -q '^VM-TRACE-END zc rc=0$' "$VM_OUT"
	section zc-cqes >"$BATS_TEST_TMPDIR/zc.jsonl"
	section zc | python3 -c '
import json, sys
cqes = [json.loads(l) for l in open(sys.argv[1])]
reqs = [r for r in map(json.loads, sys.stdin) if r["type"] == "io_uring"]
got = sorted((r["user_data"], r["op"], r["res"], r["cflags"]) for r in reqs)
assert got == sorted((c["user_data"], c["op"], c["res"], c["flags"]) for c in cqes), (got, cqes)
notifs = [r for r in reqs if r["op"] == "SEND_ZC" and r["cflags"] & 8]
assert len(notifs) == 2 and all(r["shot"] == 2 and not r["more"] for r in notifs), notifs
conn = next(r for r in reqs if r["op"] == "CONNECT")
assert conn["kernel_path"].get("tcp_states") == "CLOSE → SYN_SENT → ESTABLISHED", conn
# -s: the buffers, by 6.1'"'"'s struct io_sr_msg and io_rw
got = [(r["op"], r.get("data")) for r in reqs if r["op"] in ("SEND_ZC", "WRITE", "SENDMSG", "RECV", "READ", "RECVMSG")]
assert got == [("SEND_ZC", "zero-cop"), ("SEND_ZC", None)] * 2 + [("WRITE", "write\\n"), ("SENDMSG", "sendmsg"), ("RECV", "reply"), ("READ", "read!"), ("RECVMSG", "msg"), ("WRITE", None)], got' "$BATS_TEST_TMPDIR/zc.jsonl"
}

@test "vm: attached to a running io_uring server on 6.1, the multishot ACCEPT armed before the attach shows each connection" {
	requires_vm
	grep -q '^VM-TRACE-END uring-attach rc=0$' "$VM_OUT"
	section uring-attach | python3 -c '
import json, sys
acc = [r for r in map(json.loads, sys.stdin) if r["type"] == "io_uring" and r["op"] == "ACCEPT"]
assert [(r["shot"], r["more"], r["res"] >= 0) for r in acc] == [(1, True, True), (2, True, True)], acc
assert acc[0].get("began_before_trace") and all(r["sock"]["local"].endswith(":9100") for r in acc), acc
assert acc[0]["comm"] == "io_uring-server", acc'
}

@test "vm: sendfile and splice on 6.1 (sendpage, not sock_sendmsg): traced, which way, with their bytes and paths" {
	requires_vm
	grep -q '^VM-TRACE-END splice rc=0$' "$VM_OUT"
	section splice | python3 -c '
import json, sys
cs = [json.loads(l) for l in sys.stdin if "\"call\"" in l]
got = [(c["call"], c["category"], c["ret"], c["sock"]["kind"]) for c in cs if c["type"] == "call"]
assert got == [("sendfile", "send", 4096, "TCP"), ("splice", "recv", 4096, "TCP"), ("splice", "send", 4096, "TCP")], got'
	out=$(paths splice)
	echo "$out" >&2
	[ "$(grep -cP '^(sendfile|splice)\ttcp_sendpage \(4096 B' <<<"$out")" = 2 ]
	grep -qP '^splice\ttcp_splice_read \(4096 B' <<<"$out"
}
