#!/usr/bin/env bats
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# The command line as a user meets it: help, version, bad input and its exit
# codes, and the man page and completions kept in step with --help.

load helpers

@test "cli: --help lists the commands; no command is a usage error" {
	run_tool --help
	[ "$status" -eq 0 ]
	[[ "$output" =~ "run "+"launch a command" ]]
	[[ "$output" =~ "attach "+"trace running processes" ]]
	run_tool
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ "Usage: socktrace COMMAND" ]]
	run_tool --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^"socktrace "[0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "cli: run --help and help run show the same options" {
	run_tool run --help
	[ "$status" -eq 0 ]
	[[ "${lines[0]}" = "Usage: socktrace run [OPTION...] [--] COMMAND [ARG...]" ]]
	a=$output
	run_tool help run
	[ "$status" -eq 0 ]
	[ "$output" = "$a" ]
	run_tool help attach
	[[ "${lines[0]}" = "Usage: socktrace attach [OPTION...] PID|NAME|:PORT..." ]]
}

@test "cli: demo --help lists its own options under DEMO, before the ones it shares with run" {
	run_tool demo --help
	[ "$status" -eq 0 ]
	demo=$(sed -n '/^ DEMO:/,/^ FILTERS:/p' <<<"$output")
	filters=$(sed -n '/^ FILTERS:/,/^ OUTPUT:/p' <<<"$output")
	for o in --compare --slow --trace-client --backlog; do
		[[ "$demo" =~ "$o" ]] || { echo "$o not under DEMO"; false; }
		[[ ! "$filters" =~ "$o" ]] || { echo "$o under FILTERS"; false; }
	done
	[[ "$filters" =~ "--trace=LIST" ]]
	# --explain is the demos' first, and run's and attach's too: an output option
	[[ "$(sed -n '/^ OUTPUT:/,/^ PROBES:/p' <<<"$output")" =~ "--explain" ]]
}

@test "cli: unknown commands and options, bad values: one message, the usage hint, exit 2" {
	run_tool frobnicate
	[ "$status" -eq 2 ]
	[ "$stderr" = "socktrace: unknown command 'frobnicate' (see socktrace --help)" ]
	# strace's habits get the command that does it
	run_tool -p 1
	[ "$status" -eq 2 ]
	[ "$stderr" = "socktrace: unknown command '-p': to trace a running process, socktrace attach PID (or -p PID, or its name)" ]
	run_tool curl -s http://127.0.0.1/
	[ "$status" -eq 2 ]
	[ "$stderr" = "socktrace: unknown command 'curl': to trace it, socktrace run -- curl ..." ]
	run_tool -f -e connect curl
	[ "$status" -eq 2 ]
	[[ "$stderr" =~ ^"socktrace: unknown command '-f': the command comes first, then its options: socktrace run [OPTIONS] -- COMMAND" ]]
	run_tool run --bogus -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: unrecognized option '--bogus'" ]]
	[[ "${stderr_lines[1]}" =~ "Try \`socktrace run --help'" ]]
	run_tool run -e socket,bogus -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: unknown call 'bogus' in -e socket,bogus: use categories such as socket,send,recv or call names such as sendto" ]]
	run_tool run -e 'trace=!sendd' -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "unknown call 'sendd' in -e trace=!sendd" ]]
	for e in '!all' 'trace=' ',' ''; do
		run_tool run -e "$e" -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: -e '$e' selects no call: name one, e.g. -e connect" ]
	done
	run_tool run --format xml -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: invalid format 'xml' (expected text, json, perfetto)" ]]
	run_tool attach --color maybe 1
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "invalid color mode 'maybe'" ]]
	run_tool run --view tree -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: invalid view 'tree' (expected list, sequence, gantt)" ]]
	run_tool run -c --format perfetto -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: --format perfetto is for timelines: use json here" ]]
	# an option that a table or JSON would silently drop is refused
	for args in "-k -c" "-s 8 --histogram" "-u --by=conn" "--explain -c" "--view gantt -c"; do
		run_tool run $args -- true
		[ "$status" -eq 2 ]
		opt=${args%% [-0-9]*}
		[ "${stderr_lines[0]}" = "socktrace run: $opt is for timelines: -c prints only a table (-C: the timeline, then the table)" ]
	done
	# the gantt has no row per call for what goes under one (--stack-filter chooses calls)
	for opt in "-s 8" -k -u; do
		run_tool run --view gantt $opt -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: ${opt% *} shows under each call, and the gantt has no row per call: --view list or sequence shows it" ]
	done
	run_tool report --view gantt -u x.rec
	[ "$status" -eq 2 ]
	# no kernel path is hooked for a table
	run_tool run -c --mechanism tracepoint -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: --mechanism hooks the kernel paths of a timeline: -c counts calls without them (-C: the timeline, then the table)" ]
	run_tool demo --compare --mechanism tracepoint
	[ "$status" -eq 2 ]
	# an order for stacks nobody asked for
	run_tool run --stack-order inner -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: --stack-order orders the user stacks -u shows: add -u" ]
	run_tool report -c --view sequence x.rec
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace report: --view sequence is for timelines: -c prints only a table (-C: the timeline, then the table)" ]
	run_tool demo --compare -k
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace demo: -k is for timelines: --compare prints only a table" ]
	run_tool run --view sequence --format json -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: --view sequence is for the text timeline: --format json writes the calls as data" ]
	run_tool attach --explain --format perfetto 1
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace attach: --explain is for the text timeline: --format perfetto writes the calls as data" ]
	run_tool run --sort calls -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: --sort orders the table of -c or -C: a timeline is in time order" ]
	run_tool run -o "$TMP/same" --record "$TMP/same" -- true
	[ "$status" -eq 2 ]
	[ ! -e "$TMP/same" ]
	[ "${stderr_lines[0]}" = "socktrace run: --record and -o name the same file '$TMP/same': give each its own" ]
	# the table option given is the one named, and report's own for it
	for c in -c:-c:-c --histogram:--histogram:--histogram "--by=conn:--by conn:--by conn" "--interval=1:--interval:-c"; do
		IFS=: read -r given named again <<<"$c"
		run_tool attach $given --record "$TMP/x.rec" 1
		[ "$status" -eq 2 ]
		[ ! -e "$TMP/x.rec" ]
		[ "${stderr_lines[0]}" = "socktrace attach: --record keeps every call, which $named counts in the kernel instead: record without $named, then \`socktrace report $again FILE\`" ]
	done
	run_tool run --by peer -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" = "socktrace run: invalid --by 'peer' (expected conn)" ]]
	run_tool run --sort size -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "invalid sort key 'size' (expected time, calls, errors, avg, p99, max, bytes, name)" ]]
	for sz in 3K 12K 2G -8K 64X; do
		run_tool run --buffer-size "$sz" -- true
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" =~ "invalid buffer size '$sz'" ]]
	done
	for d in 0 -1 abc 1x 1e400; do
		run_tool attach --duration "$d" 1
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" =~ "invalid duration '$d'" ]]
	done
	run_tool run
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "no command to run" ]]
	run_tool attach
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "no process to attach to" ]]
	# a negative pid, as an option (getopt reads "-5" as one) or after --
	for args in 12abc 0 4194305 99999999999 -5 -12 "-e connect -7" "-- -3"; do
		run_tool attach $args
		p=${args##* }
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" = "socktrace attach: invalid pid '$p' (expected 1 to 4194304, or a process name)" ]]
	done
	# -p takes pids only, as strace's does
	for p in abc 0 -5 4194305 "12,x"; do
		run_tool attach -p "$p"
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace attach: invalid pid '${p#12,}' for -p (expected 1 to 4194304; a process name goes without -p)" ]
	done
	run_tool run -p 1 -- true
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace run: invalid option -- 'p'" ]
	for p in 70000 -1 x; do
		run_tool serve epoll --port "$p"
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" =~ "invalid port '$p'" ]]
	done
	for s in 0 -1 x 9999999999; do
		run_tool run -s "$s" -- true
		[ "$status" -eq 2 ]
		[[ "${stderr_lines[0]}" =~ "invalid payload size '$s'" ]]
	done
	# (not $i: bats' run sets it)
	for iv in 0 -1 x 0.0001 9ms; do
		run_tool run -c --interval "$iv" -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: invalid interval '$iv': give seconds, at least 10ms, e.g. 1, 0.5 or 200ms" ]
	done
	for d in 0 -1ms 5xs ""; do
		run_tool run --min-duration "$d" -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: invalid --min-duration '$d': give a time > 0, e.g. 1ms, 200us or 0.5 (seconds)" ]
	done
	# over a year is said as such, not as a time that is not > 0
	for o in "--duration:duration" "--min-duration:--min-duration" "-c --interval:interval"; do
		run_tool run ${o%:*} 9000h -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: invalid ${o#*:} '9000h': longer than a year, the most it takes" ]
	done
	# the port that is wrong is named, out of its list
	for p in 0:0 70000:70000 x:x 80,,x:x 80,http,nosuch,443:nosuch 90-80:90-80 80-:80- 0-80:0-80 80-70000:80-70000 1-2-3:1-2-3 http-https:http-https; do
		run_tool attach --ports "${p%:*}" 1
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace attach: invalid port '${p##*:}' in --ports ${p%:*}: give ports from 1 to 65535, service names or ranges, comma-separated, e.g. 5432,6379, http,https or 8000-8099" ]
	done
	run_tool attach --ports 1,2,3,4,5,6,7,8-9,10 1
	[ "$status" -eq 2 ]
	[ "${stderr_lines[0]}" = "socktrace attach: --ports 1,2,3,4,5,6,7,8-9,10: the kernel checks up to 8 ports or ranges: give that many or fewer" ]
	for p in "" ,; do
		run_tool attach --ports "$p" 1
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace attach: invalid --ports '$p': give up to 8 ports from 1 to 65535, service names or ranges, comma-separated, e.g. 5432,6379, http,https or 8000-8099" ]
	done
	run_tool run -c -P 80 -- true
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "--ports narrows a timeline: -c counts in the kernel" ]]
	for z in -Z -z; do
		run_tool demo --compare $z
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace demo: $z filters a trace: --compare counts every call" ]
	done
	# -Z and -z (strace's -e status=) are one test in the kernel: both show nothing
	for pair in "-Z -z:-Z and -z" "-z --failed-only:-z and -Z" \
		"-e status=failed -z:-e status=failed and -z" "-z -e status=failed:-z and -e status=failed"; do
		run_tool run ${pair%:*} -- true
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace run: ${pair#*:} together would show nothing: give one (-Z: the calls that failed, -z: those that succeeded)" ]
	done
	for s in unfinished "failed,successful" "!failed" ""; do
		run_tool attach -e "status=$s" 1
		[ "$status" -eq 2 ]
		[ "${stderr_lines[0]}" = "socktrace attach: -e status=$s: socktrace takes -e status=failed (-Z), status=successful (-z) or status=all" ]
	done
	run_tool report --min-duration 0 x.rec
	[ "$status" -eq 2 ]
	[[ "${stderr_lines[0]}" =~ "invalid --min-duration '0'" ]]
}

@test "cli: every key of the JSON output is in the man page (report of recordings, load, probes)" {
	requires root python3
	{
		for f in "$TOP"/tests/fuzz/corpus/*.rec; do
			for v in "" "-C" "--histogram" "--by conn"; do "$TOOL_BIN" report $v --format json "$f"; done
		done
		"$TOOL_BIN" probes --format json
		"$TOOL_BIN" load --port 1 --format json
	} >"$TMP/all.jsonl" 2>/dev/null || true
	"$PYTHON3" -c '
import json, re, sys
keys, seen = set(), 0
def walk(o, parent):
    if isinstance(o, dict):
        for k, v in o.items():
            # a call'"'"'s arguments are named by their own man pages, errnos by errno(3)
            if parent not in ("args", "params", "errnos"):
                keys.add(k)
            walk(v, k)
    elif isinstance(o, list):
        for v in o:
            walk(v, parent)
for l in open(sys.argv[1]):
    if l.startswith("{"):
        walk(json.loads(l), None)
        seen += 1
man = open(sys.argv[2]).read().replace("\\-", "-")
missing = sorted(k for k in keys if not re.search(r"\b" + re.escape(k) + r"\b", man))
assert seen > 20 and len(keys) > 100, (seen, len(keys))
assert not missing, missing' "$TMP/all.jsonl" "$TOP/man/socktrace.8"
}

@test "cli: without root or CAP_BPF+CAP_PERFMON: one line naming them, exit 1, nothing loaded" {
	requires root
	command -v setpriv >/dev/null || die "setpriv (util-linux) missing"
	install -m 0755 "$TOOL_BIN" "$TMP/socktrace"
	chmod 0755 "$TMP"
	run --separate-stderr setpriv --reuid=65534 --regid=65534 --clear-groups "$TMP/socktrace" run -- true
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: needs root, or CAP_BPF and CAP_PERFMON, to load eBPF programs: run it with sudo" ]
	[ -z "$output" ]
}

@test "cli: -o or --record to a file that cannot be written: one line, exit 1, before anything runs" {
	requires root bpf btf
	run_tool run -o /nonexistent-dir/out -- true
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: cannot open output file '/nonexistent-dir/out': No such file or directory" ]
	for cmd in "run:-- touch $TMP/ran" "attach:$$" "demo:epoll"; do
		run_tool ${cmd%%:*} --record /nonexistent-dir/rec ${cmd#*:}
		[ "$status" -eq 1 ]
		[ -z "$output" ]
		[ "$stderr" = "socktrace: cannot write the recording '/nonexistent-dir/rec': No such file or directory" ]
	done
	[ ! -e "$TMP/ran" ]
}

@test "cli: help, a trace, a recording or a report that cannot be written (a full disk): one line, exit 1; a closed pipe is no error" {
	for args in "--help" "--version" "help run" "run --help"; do
		rc=0
		"$TOOL_BIN" $args >/dev/full 2>"$TMP/err" || rc=$?
		[ "$rc" -eq 1 ]
		[ "$(cat "$TMP/err")" = "socktrace: cannot write to standard output: No space left on device" ]
	done
	requires root bpf btf python3
	sends='import socket
a, b = socket.socketpair()
for i in range(20):
    a.send(b"x"); b.recv(1)'
	# the trace into a file: its footer on the terminal, then why it is cut short
	run_tool run -o /dev/full -- "$PYTHON3" -c "$sends"
	[ "$status" -eq 1 ]
	grep -qx "socktrace: cannot write the trace to '/dev/full': No space left on device" <<<"$stderr"
	rc=0
	"$TOOL_BIN" run -q --format json -- "$PYTHON3" -c "$sends" >/dev/full 2>"$TMP/err" || rc=$?
	[ "$rc" -eq 1 ]
	grep -qx "socktrace: cannot write the trace to standard output: No space left on device" "$TMP/err"
	run_tool run -q --record /dev/full -- true
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: cannot write the recording '/dev/full': No space left on device" ]
	run_tool run -q --record "$TMP/r.rec" -- "$PYTHON3" -c "$sends"
	[ "$status" -eq 0 ]
	run_tool report "$TMP/r.rec" -o /dev/full
	[ "$status" -eq 1 ]
	[ "$stderr" = "socktrace: cannot write the report to '/dev/full': No space left on device" ]
	# a reader gone (`| head` had what it wanted): the command's status, nothing said
	"$TOOL_BIN" run -- "$PYTHON3" -c "$sends; exit(3)" 2>"$TMP/err" | true
	rc=${PIPESTATUS[0]}
	[ "$rc" -eq 3 ]
	[ "$(grep -c 'cannot write' "$TMP/err")" -eq 0 ]
}

# Long options a command's --help shows.
help_opts() {
	"$TOOL_BIN" "$@" --help | grep -oE -- '--[a-z][a-z0-9-]+' | sort -u
}

@test "cli: every option in --help is in the man page and in the bash, zsh and fish completions" {
	opts=$( { for c in run attach probes demo serve load report; do help_opts $c; done; "$TOOL_BIN" --help | grep -oE -- '--[a-z][a-z0-9-]+'; } | sort -u)
	[ -n "$opts" ]
	missing=()
	# the man source with roff's \- as plain hyphens
	man=$(sed 's/\\-/-/g' "$TOP/man/socktrace.8")
	for o in $opts; do
		grep -qw -- "$o" <<<"$man" || missing+=("man:$o")
		grep -qw -- "$o" "$TOP/completions/socktrace.bash" || missing+=("bash:$o")
		grep -q -- "$o" "$TOP/completions/_socktrace" || missing+=("zsh:$o")
		grep -q -- "-l ${o#--}" "$TOP/completions/socktrace.fish" || missing+=("fish:$o")
	done
	echo "missing: ${missing[*]}" >&2
	[ ${#missing[@]} -eq 0 ]
	# and the other way: nothing documented that --help does not have
	for o in $(grep -oE -- '--[a-z][a-z0-9-]+' <<<"$man" | sort -u); do
		echo "$opts" | grep -qx -- "$o" || missing+=("stale in man:$o")
	done
	for o in $(grep -oE -- '--[a-z][a-z0-9-]+' "$TOP/completions/socktrace.bash" | sort -u); do
		echo "$opts" | grep -qx -- "$o" || missing+=("stale in bash:$o")
	done
	echo "problems: ${missing[*]}" >&2
	[ ${#missing[@]} -eq 0 ]
	# the top-level --help's summary names every option of run and attach
	for o in $( { help_opts run; help_opts attach; } | grep -vx -- --usage); do
		"$TOOL_BIN" --help | grep -q -- "$o" || missing+=("not in socktrace --help:$o")
	done
	echo "summary: ${missing[*]}" >&2
	[ ${#missing[@]} -eq 0 ]
}

@test "cli: the man page renders without groff warnings" {
	command -v groff >/dev/null || die "groff missing"
	run groff -man -ww -z "$TOP/man/socktrace.8"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}

@test "cli: the zsh and fish completions parse in zsh and fish" {
	command -v zsh >/dev/null || die "zsh missing (make deps)"
	command -v fish >/dev/null || die "fish missing (make deps)"
	run zsh -n "$TOP/completions/_socktrace"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run fish --no-execute "$TOP/completions/socktrace.fish"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	# fish: load it and ask for the commands after "socktrace "
	run fish -c "source $TOP/completions/socktrace.fish; complete -C 'socktrace '"
	[[ "$output" =~ run ]]
	[[ "$output" =~ attach ]]
	[[ "$output" =~ probes ]]
	run fish -c "source $TOP/completions/socktrace.fish; complete -C 'socktrace run --mech'"
	[[ "$output" =~ --mechanism ]]
}

@test "cli: the bash completion sources in a bare bash and completes commands, options, values" {
	complete_words() {
		bash --norc --noprofile -c '
			source "$1"; shift
			COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
			_socktrace; printf "%s\n" "${COMPREPLY[@]}"' _ "$TOP/completions/socktrace.bash" "$@"
	}
	run complete_words socktrace at
	[ "$output" = attach ]
	run complete_words socktrace run --for
	[ "$output" = --format ]
	run complete_words socktrace run --format ''
	[ "$(echo $output)" = "text json perfetto" ]
	run complete_words socktrace attach -e socket,rec
	[ "$output" = socket,recv ]
	run complete_words socktrace probes --mech
	[ "$output" = --mechanism ]
	run complete_words socktrace demo ep
	[ "$output" = epoll ]
	run complete_words socktrace serve io
	[ "$output" = io_uring ]
	run complete_words socktrace demo --view ''
	[ "$(echo $output)" = "list sequence gantt" ]
	run complete_words socktrace attach 1
	[[ "$output" =~ (^|$'\n')1($'\n'|$) ]]
	# attach :PORT offers the ports listened on; readline keeps the ':' typed
	"$PYTHON3" -c 'import socket, sys, time
s = socket.socket(socket.AF_INET6); s.bind(("::1", 0)); s.listen()
print(s.getsockname()[1], flush=True); time.sleep(30)' >"$TMP/port" &
	PIDS+=($!)
	wait_for_line "$TMP/port" "[0-9]"
	port=$(cat "$TMP/port")
	run complete_words socktrace attach ":${port:0:3}"
	[[ "$output" =~ (^|$'\n')$port($'\n'|$) ]]
	run complete_words socktrace attach : "${port:0:3}"
	[[ "$output" =~ (^|$'\n')$port($'\n'|$) ]]
}

@test "cli: make install puts the binary, man page and completions under PREFIX" {
	run make -C "$TOP" install DESTDIR="$TMP/root" PREFIX=/usr O="$BUILD"
	[ "$status" -eq 0 ]
	[ -x "$TMP/root/usr/bin/socktrace" ]
	[ -f "$TMP/root/usr/share/man/man8/socktrace.8" ]
	[ -f "$TMP/root/usr/share/bash-completion/completions/socktrace" ]
	[ -f "$TMP/root/usr/share/zsh/vendor-completions/_socktrace" ]
	[ -f "$TMP/root/usr/share/fish/vendor_completions.d/socktrace.fish" ]
	"$TMP/root/usr/bin/socktrace" --version
}

@test "cli: make on a machine without a build dependency names it and make deps, before compiling anything" {
	run make -C "$TOP" O="$TMP/b" BUILD_DEB="gcc socktrace-no-such-pkg-dev"
	[ "$status" -ne 0 ]
	[[ "$output" =~ "socktrace: cannot build, missing: socktrace-no-such-pkg-dev; run \`make deps\` as root to install them" ]]
	[ ! -e "$TMP/b/obj" ]
	run make -C "$TOP" build-deps-check
	[ "$status" -eq 0 ]
	[[ ! "$output" =~ "cannot build" ]]
}
