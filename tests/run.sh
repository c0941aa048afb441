#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Runs the C unit tests, then the bats suites, and ends with one line:
#   N passed, N failed[, N skipped]
# Usage: tests/run.sh [--unit-only | --bats-only | --vm-only | --no-vm]
# (--no-vm: everything but the VM suite, for builds that cannot be linked
# statically, such as the sanitizer build)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/build}
pass=0 fail=0 skipped=0
mode=${1:-all}

echo "# environment: kernel $(uname -r); $(clang --version | head -1);" \
	"bpftool $(bpftool version 2>/dev/null | head -1 | awk '{print $2}');" \
	"libbpf $(pkg-config --modversion libbpf 2>/dev/null); liburing $(pkg-config --modversion liburing 2>/dev/null);" \
	"bats $(bats --version | awk '{print $2}'); uid $(id -u)"

if [ "$mode" = all ] || [ "$mode" = --unit-only ] || [ "$mode" = --no-vm ]; then
	for t in "$build"/tests/unit/test_*; do
		[ -x "$t" ] || continue
		out=$(timeout 60 "$t" 2>&1)
		rc=$?
		name=$(basename "$t")
		case $rc in
		0) pass=$((pass + 1)); echo "ok unit $name" ;;
		77) skipped=$((skipped + 1)); echo "ok unit $name # skip" ;;
		*) fail=$((fail + 1)); echo "not ok unit $name (exit $rc)"; echo "$out" | sed 's/^/#   /' ;;
		esac
	done
fi

if [ "$mode" != --unit-only ]; then
	tap=$(mktemp)
	files=("$top"/tests/*.bats)
	[ "$mode" = --vm-only ] && files=("$top"/tests/40-vm.bats)
	[ "$mode" = --no-vm ] && files=($(ls "$top"/tests/*.bats | grep -v /40-vm.bats))
	BUILD=$build bats --tap --timing "${files[@]}" | tee "$tap"
	pass=$((pass + $(grep -cE '^ok [0-9]+ ' "$tap" | tr -d ' ') - $(grep -cE '^ok [0-9]+ .*# skip' "$tap")))
	skipped=$((skipped + $(grep -cE '^ok [0-9]+ .*# skip' "$tap")))
	fail=$((fail + $(grep -cE '^not ok [0-9]+ ' "$tap")))
	rm -f "$tap"
fi

echo "$pass passed, $fail failed, $skipped skipped"
[ "$fail" = 0 ]
