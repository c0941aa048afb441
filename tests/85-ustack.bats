#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# -u: the user stack each call came from, named from the program's own ELF symbols.

load helpers

USTACK=$BUILD/tests/ustack

# frames_of TRACE CALL: the user stack of the first CALL, innermost first, as "symbol:module" words
frames_of() {
	"$PYTHON3" -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == sys.argv[2]:
        u = r["user_stack"]
        print(" ".join("%s:%s%s" % (f.get("symbol", "?"), f.get("module", "?"), "*" if f.get("call_site") else "") for f in u["frames"]))
        print(u.get("cut", ""))
        break' "$@"
}

@test "ustack: each call names the program's functions, innermost first, libc's wrapper first" {
	requires root bpf btf python3
	run_tool run -u --format json -o "$TMP/t.jsonl" -e send,socket -- "$USTACK"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/t.jsonl" sendto
	# reply() called send(): libc's wrapper has no frame, so reply is the recovered call site (*)
	[[ "${lines[0]}" =~ ^[_a-z]*send:libc\.so\.6\ reply:ustack\*\ handle_client:ustack\ serve_one:ustack\ main:ustack$ ]]
	# the stack is cut where libc's frames lack frame pointers, and says so
	[ "${lines[1]}" = "no frame pointer past here (code built without them)" ]
	run frames_of "$TMP/t.jsonl" socket
	[[ "${lines[0]}" =~ ^socket:libc\.so\.6\ open_socket:ustack\*\ serve_one:ustack\ main:ustack$ ]]
}

@test "ustack: the text view shows the stack outermost first, or innermost first with --stack-order inner" {
	requires root bpf btf
	run_tool run -u -e send -- "$USTACK"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "↳ [no frame pointer past here (code built without them)] … → main+0x"[0-9a-f]+" → serve_one+0x"[0-9a-f]+" → handle_client+0x"[0-9a-f]+" → reply+0x"[0-9a-f]+" (ustack) → "[_a-z]*"send+0x"[0-9a-f]+" (libc.so.6)" ]]
	run_tool run -u --stack-order inner -e send -- "$USTACK"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "send+0x"[0-9a-f]+" (libc.so.6) → reply+0x"[0-9a-f]+" → handle_client+0x"[0-9a-f]+" → serve_one+0x"[0-9a-f]+" → main+0x"[0-9a-f]+" (ustack) → … [no frame pointer" ]]
}

@test "ustack: a stripped copy still names its exported functions through .dynsym" {
	requires root bpf btf python3
	command -v strip >/dev/null || skip "strip missing"
	strip -o "$TMP/ustack-stripped" "$USTACK"
	! readelf -S "$TMP/ustack-stripped" | grep -q '\.symtab'
	run_tool run -u --format json -o "$TMP/s.jsonl" -e send -- "$TMP/ustack-stripped"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/s.jsonl" sendto
	[[ "${lines[0]}" =~ \ reply:ustack-stripped\*\ handle_client:ustack-stripped\ serve_one:ustack-stripped\ main:ustack-stripped$ ]]
}
