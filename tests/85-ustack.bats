#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# -u: the user stack each call came from, named from the program's own ELF
# symbols (and debug files, -uu lines); --stack-filter.  The program
# (tests/ustack/prog.c) is built PIE, non-PIE and without frame pointers; it
# calls into a library it links and one it dlopens after its first calls.

load helpers

STACKS=$BUILD/tests/stacks
PLUGIN=$STACKS/libustack-plugin.so
LIBC='[_a-z]*' # a libc wrapper's name, e.g. send or __send

# frames_of TRACE CALL: the user stack of the first CALL, innermost first, as
# "symbol:module" words (* marks the recovered call site), then the cut
frames_of() {
	"$PYTHON3" -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == sys.argv[2]:
        u = r["user_stack"]
        print(" ".join("%s:%s%s" % (f.get("symbol", "?"), f.get("module", "?"), "*" if f.get("call_site") else "") for f in u["frames"]))
        print(u.get("cut", ""))
        break
else:
    print("no %s call" % sys.argv[2])' "$@"
}

# lines_of TRACE CALL: "file:line" of the first CALL's frames, innermost first
lines_of() {
	"$PYTHON3" -c 'import json,sys
for l in open(sys.argv[1]):
    r = json.loads(l)
    if r.get("call") == sys.argv[2]:
        print(" ".join("%s:%s" % (f.get("file", "?"), f.get("line", "?")) for f in r["user_stack"]["frames"]))
        break' "$@"
}

line_of() { grep -n "$2" "$TOP/tests/ustack/$1" | cut -d: -f1; }

@test "ustack: PIE and non-PIE, a linked and a dlopened library: the functions named in order" {
	requires root bpf btf python3
	for b in ustack ustack-nopie; do
		run_tool run -u --format json -o "$TMP/$b.jsonl" -e send,recv,socket -- "$STACKS/$b" "$PLUGIN"
		[ "$status" -eq 0 ]
		# reply() called send(): libc's wrapper has no frame, so reply is the recovered call site (*)
		run frames_of "$TMP/$b.jsonl" sendto
		[[ "${lines[0]}" =~ ^${LIBC}send:libc\.so\.6\ reply:$b\*\ handle_client:$b\ serve_one:$b\ main:$b( |$) ]]
		run frames_of "$TMP/$b.jsonl" socket
		[[ "${lines[0]}" =~ ^${LIBC}socket:libc\.so\.6\ open_socket:$b\*\ serve_one:$b\ main:$b( |$) ]]
		run frames_of "$TMP/$b.jsonl" sendmsg
		[[ "${lines[0]}" =~ ^${LIBC}sendmsg:libc\.so\.6\ lib_reply:libustack-lib\.so\*\ serve_one:$b\ main:$b( |$) ]]
		# dlopened after socktrace read the mappings: they are read again
		run frames_of "$TMP/$b.jsonl" recvfrom
		[[ "${lines[0]}" =~ ^${LIBC}recv:libc\.so\.6\ plugin_reply:libustack-plugin\.so\*\ serve_one:$b\ main:$b( |$) ]]
	done
}

@test "ustack: without frame pointers, the call site is still named and the stack is cut, saying why" {
	requires root bpf btf python3
	run_tool run -u --format json -o "$TMP/t.jsonl" -e send -- "$STACKS/ustack-nofp"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/t.jsonl" sendto
	[[ "${lines[0]}" =~ ^${LIBC}send:libc\.so\.6\ reply:ustack-nofp\*$ ]]
	[ "${lines[1]}" = "no frame pointer past here (code built without them)" ]
	# the library keeps its frame pointers: the chain goes one frame into the program
	run frames_of "$TMP/t.jsonl" sendmsg
	[[ "${lines[0]}" =~ ^${LIBC}sendmsg:libc\.so\.6\ lib_reply:libustack-lib\.so\*\ serve_one:ustack-nofp$ ]]
	[ "${lines[1]}" = "no frame pointer past here (code built without them)" ]
}

@test "ustack: the text view shows the stack outermost first, or innermost first with --stack-order inner" {
	requires root bpf btf
	run_tool run -u -e send -- "$STACKS/ustack"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "↳ "(.*" → ")?"main+0x"[0-9a-f]+" → serve_one+0x"[0-9a-f]+" → handle_client+0x"[0-9a-f]+" → reply+0x"[0-9a-f]+" (ustack) → "[_a-z]*"send+0x"[0-9a-f]+" (libc.so.6)" ]]
	run_tool run -u --stack-order inner -e send -- "$STACKS/ustack-nofp"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "send+0x"[0-9a-f]+" (libc.so.6) → reply+0x"[0-9a-f]+" (ustack-nofp) → … [no frame pointer past here (code built without them)]" ]]
}

@test "ustack: C++ names are demangled, without their parameters; a recursion's frames show once, with how many" {
	requires root bpf btf
	run_tool run -u -e send -- "$STACKS/ustack-cxx"
	[ "$status" -eq 0 ]
	[[ "$output" =~ " → main+0x"[0-9a-f]+" → net::Client::send_all+0x"[0-9a-f]+" ×4 → net::Client::send_all+0x"[0-9a-f]+" (ustack-cxx) → "[_a-z]*"send+0x" ]]
	# --stack-filter matches the names as shown; JSON keeps every frame
	run_tool run -u --stack-filter 'net::Client::*' --format json -e send -- "$STACKS/ustack-cxx"
	[ "$status" -eq 0 ]
	[ "$(frames_of <(echo "$output") sendto | head -1 | grep -o 'net::Client::send_all:ustack-cxx' | wc -l)" -eq 5 ]
}

@test "ustack: -uu adds file:line from DWARF; JSON and Perfetto carry the frames as data" {
	requires root bpf btf python3
	run_tool run -uu --format json -o "$TMP/t.jsonl" -e send -- "$STACKS/ustack"
	[ "$status" -eq 0 ]
	run lines_of "$TMP/t.jsonl" sendto
	[[ "$output" =~ ^[^\ ]+\ prog\.c:$(line_of prog.c 'the send line')\ prog\.c:$(line_of prog.c 'int n = reply(fd)')\ prog\.c:$(line_of prog.c 'n = handle_client') ]]
	run lines_of "$TMP/t.jsonl" sendmsg
	[[ "$output" =~ ^[^\ ]+\ lib\.c:$(line_of lib.c 'the sendmsg line')\ prog\.c:$(line_of prog.c 'n += lib_reply') ]]
	run_tool run -uu -e send -- "$STACKS/ustack"
	[[ "$output" =~ "reply+0x"[0-9a-f]+" prog.c:$(line_of prog.c 'the send line') (ustack)" ]]
	# one -u: no lines
	run_tool run -u --format json -o "$TMP/u.jsonl" -e send -- "$STACKS/ustack"
	run lines_of "$TMP/u.jsonl" sendto
	[[ "$output" =~ ^\?:\?\ \?:\? ]]
	run_tool run -uu --format perfetto -o "$TMP/t.json" -e send -- "$STACKS/ustack"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c 'import json,sys
for e in json.load(open(sys.argv[1]))["traceEvents"]:
    a = e.get("args", {})
    if e.get("name") == "sendto" and "user_stack_frames" in a:
        f = a["user_stack_frames"]["frames"][1]
        print(f["symbol"], f["module"], f["file"], f["line"], f["addr"] > 0)
        break' "$TMP/t.json"
	[ "$output" = "reply ustack prog.c $(line_of prog.c 'the send line') True" ]
}

@test "ustack: a stripped copy names its exported functions through .dynsym, the rest by address" {
	requires root bpf btf python3
	command -v strip >/dev/null || skip "strip missing"
	strip -o "$TMP/ustack-stripped" "$STACKS/ustack"
	! readelf -S "$TMP/ustack-stripped" | grep -q '\.symtab' || false
	run_tool run -u --format json -o "$TMP/s.jsonl" -e send -- "$TMP/ustack-stripped"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/s.jsonl" sendto
	# handle_client is static: only .symtab knew it; the chain goes on past it
	[[ "${lines[0]}" =~ \ reply:ustack-stripped\*\ \?:ustack-stripped\ serve_one:ustack-stripped\ main:ustack-stripped( |$) ]]
}

@test "ustack: a stripped binary's debug file is found by .gnu_debuglink and by build ID" {
	requires root bpf btf python3
	command -v objcopy >/dev/null || skip "objcopy missing"
	objcopy --only-keep-debug "$STACKS/ustack" "$TMP/ustack-dl.debug"
	objcopy --strip-all --add-gnu-debuglink="$TMP/ustack-dl.debug" "$STACKS/ustack" "$TMP/ustack-dl"
	run_tool run -uu --format json -o "$TMP/d.jsonl" -e send -- "$TMP/ustack-dl"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/d.jsonl" sendto
	[[ "${lines[0]}" =~ \ reply:ustack-dl\*\ handle_client:ustack-dl\ serve_one:ustack-dl ]]
	run lines_of "$TMP/d.jsonl" sendto
	[[ "$output" =~ ^[^\ ]+\ prog\.c:$(line_of prog.c 'the send line')\  ]]
	# no debuglink: the build-ID tree, where Debian's -dbgsym packages put them
	local id
	id=$(readelf -n "$STACKS/ustack" | sed -n 's/.*Build ID: //p')
	[ -n "$id" ]
	strip -o "$TMP/ustack-bid" "$STACKS/ustack"
	BUILD_ID_FILE=/usr/lib/debug/.build-id/${id:0:2}/${id:2}.debug
	[ ! -e "$BUILD_ID_FILE" ] || skip "$BUILD_ID_FILE exists already"
	mkdir -p "${BUILD_ID_FILE%/*}"
	cp "$TMP/ustack-dl.debug" "$BUILD_ID_FILE"
	run_tool run -u --format json -o "$TMP/b.jsonl" -e send -- "$TMP/ustack-bid"
	rm -f "$BUILD_ID_FILE"
	[ "$status" -eq 0 ]
	run frames_of "$TMP/b.jsonl" sendto
	[[ "${lines[0]}" =~ \ reply:ustack-bid\*\ handle_client:ustack-bid\ serve_one:ustack-bid ]]
}

@test "ustack: a process in another mount namespace is named through /proc/PID/root" {
	requires root bpf btf python3
	command -v unshare >/dev/null || skip "unshare missing"
	mkdir -p "$TMP/ns"
	# the copy exists only inside the new namespace's tmpfs: outside, $TMP/ns is empty
	run_tool run -u --format json -o "$TMP/n.jsonl" -e send -- unshare -m --propagation private \
		sh -c "mount -t tmpfs tmpfs '$TMP/ns' && cp '$STACKS/ustack' '$TMP/ns/inside' && exec '$TMP/ns/inside'"
	[ "$status" -eq 0 ]
	[ ! -e "$TMP/ns/inside" ]
	run frames_of "$TMP/n.jsonl" sendto
	[[ "${lines[0]}" =~ \ reply:inside\*\ handle_client:inside\ serve_one:inside\ main:inside ]]
}

@test "ustack: --stack-filter shows only the calls made from a function, and counts the rest" {
	requires root bpf btf python3
	run_tool run --stack-filter handle_client --format json -o "$TMP/f.jsonl" -e send,socket -- "$STACKS/ustack"
	[ "$status" -eq 0 ]
	run "$PYTHON3" -c 'import json,sys
rs = [json.loads(l) for l in open(sys.argv[1])]
print(" ".join(r["call"] for r in rs if r.get("type") == "call"), [r["not_shown_by_stack_filter"] for r in rs if r.get("type") == "end"][0])' "$TMP/f.jsonl"
	# socketpair, socket and sendmsg are not made from handle_client
	[ "$output" = "sendto 3" ]
	run_tool run --stack-filter 'nothing_*,lib_*' -e send,socket -- "$STACKS/ustack"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "sendmsg(" ]]
	! [[ "$output" =~ "sendto(" ]] || false
	[[ "$output" =~ "3 not shown (no --stack-filter function on their stack)" ]]
	RUN_STATUS=2 run_tool run -c --stack-filter reply -- true
	[[ "$stderr" =~ "--stack-filter is for timelines" ]]
	RUN_STATUS=2 run_tool run --stack-filter , -- true
	[[ "$stderr" =~ "empty --stack-filter" ]]
}

@test "ustack: a command that exits soon after its calls is named all the same (its mappings read as its first stack arrives)" {
	requires root bpf btf python3
	# gone 30 ms after its connect: before the next timed drain is done
	# with the first call (kernel symbols were read then), as a curl is
	for i in 1 2 3; do
		run_tool run -u -e connect --format json -o "$TMP/p.jsonl" -- "$PYTHON3" -c '
import os, socket, time
socket.socket().connect_ex(("127.0.0.1", 1)); time.sleep(0.03); os._exit(0)'
		[ "$status" -eq 0 ]
		run frames_of "$TMP/p.jsonl" connect
		[[ "${lines[0]}" =~ ^${LIBC}connect:libc\.so\.6( |$) ]]
	done
}

@test "ustack: a recording keeps the named frames: report -u shows them after the process is gone" {
	requires root bpf btf
	run_tool run -uu -q --record "$TMP/u.rec" -e send -- "$STACKS/ustack" "$PLUGIN"
	[ "$status" -eq 0 ]
	echo "$output" >"$TMP/live.txt"
	run_tool report -uu -q "$TMP/u.rec"
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat "$TMP/live.txt")" ]
	[[ "$output" =~ "reply+0x"[0-9a-f]+" prog.c:"[0-9]+" (ustack)" ]]
	# one -u: the same frames without lines; --stack-filter applies
	run_tool report -u --stack-filter lib_reply "$TMP/u.rec"
	[ "$status" -eq 0 ]
	[[ "$output" =~ "lib_reply+0x"[0-9a-f]+" (libustack-lib.so)" ]]
	! [[ "$output" =~ "prog.c:" ]] || false
	! [[ "$output" =~ "sendto(" ]] || false
	# a recording made without -u cannot name them, and says how to get them
	run_tool run -q --record "$TMP/n.rec" -e send -- "$STACKS/ustack"
	RUN_STATUS=1 run_tool report -u "$TMP/n.rec"
	[[ "$stderr" =~ "has no user stacks: record with -u" ]]
}
