# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Shared by every bats file: where things are, what a test requires, how the
# tool is run, and the teardown that checks nothing stayed loaded.

bats_require_minimum_version 1.7.0

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
BUILD=${BUILD:-$TOP/build}
TOOL_BIN=$BUILD/socktrace
PEERPAIR=$BUILD/tests/peerpair
export NO_COLOR=1
# Traced commands run the system interpreter itself: a version manager's shim
# (pyenv's is a bash script) makes socket calls of its own that would join the trace.
PYTHON3=/usr/bin/python3

die() { echo "# $*" >&3; false; }

# requires root bpf btf ... : skip (or, under TEST_STRICT=1, fail) with the reason.
requires() {
	local why=""
	for r in "$@"; do
		case $r in
		root) [ "$(id -u)" = 0 ] || why="needs root" ;;
		bpf) [ -e /proc/sys/kernel/bpf_stats_enabled ] || why="kernel has no eBPF" ;;
		btf) [ -r /sys/kernel/btf/vmlinux ] || why="kernel has no BTF" ;;
		python3) [ -x "$PYTHON3" ] || why="$PYTHON3 missing" ;;
		curl) command -v curl >/dev/null || why="curl missing" ;;
		nc) command -v nc >/dev/null || why="nc missing" ;;
		*) die "requires: unknown keyword '$r' (a test bug)" ;;
		esac
	done
	if [ -n "$why" ]; then
		[ "${TEST_STRICT:-0}" = 1 ] && die "TEST_STRICT: cannot skip: $why"
		skip "$why"
	fi
}

# run_tool ARGS...: the tool under a deadline (RUN_STATUS=N: N is expected); command, status and output go to
# stderr so a failing test shows them.
run_tool() {
	run ${RUN_STATUS:+-$RUN_STATUS} --separate-stderr timeout 30s "$TOOL_BIN" "$@"
	{
		echo "# \$ socktrace $*"
		echo "# status=$status"
		printf '# stdout: %s\n' "${lines[@]}"
		printf '# stderr: %s\n' "${stderr_lines[@]}"
	} >&2
}

# wait_for_line FILE REGEX [SECONDS]
wait_for_line() {
	local f=$1 re=$2 t=${3:-10} i
	for ((i = 0; i < t * 20; i++)); do
		grep -qE "$re" "$f" 2>/dev/null && return 0
		sleep 0.05
	done
	die "timed out waiting for /$re/ in $f: $(cat "$f" 2>/dev/null)"
}

# No socktrace BPF program may outlive the process that loaded it.  Ours are
# named by mechanism (tp_* and uring_* tracepoints, fentry_*, fexit_*,
# kprobe_*, kretprobe_*, cg_* cgroup hooks) and the feature experiments nt_*.
OUR_PROGS='name (tp_|uring_|fentry_|fexit_|kprobe_|kretprobe_|cg_|nt_)'
assert_nothing_loaded() {
	local i left
	# the kernel frees a dead loader's programs after an RCU grace period: wait up to 5 s
	for ((i = 0; i < 100; i++)); do
		left=$(bpftool prog show 2>/dev/null | grep -cE "$OUR_PROGS" || true)
		[ "$left" = 0 ] && return 0
		sleep 0.05
	done
	die "socktrace BPF programs still loaded: $(bpftool prog show | grep -E "$OUR_PROGS")"
}

common_setup() {
	TMP=$(mktemp -d "$BATS_RUN_TMPDIR/t.XXXXXX")
	PIDS=()
}

common_teardown() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	if [ "$(id -u)" = 0 ] && command -v bpftool >/dev/null; then
		assert_nothing_loaded
	fi
}

setup() { common_setup; }
teardown() { common_teardown; }
