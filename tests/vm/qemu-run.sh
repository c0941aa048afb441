#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Boots KERNEL under qemu (software emulation) with a throw-away busybox
# initramfs holding the given static binaries in /bin, runs SCRIPT as root in
# it, and prints the guest's console from its first line.  The exit status is
# the script's inside the guest; 125 means no exit marker was seen (a panic, a
# hang past the timeout, or qemu failing), and the console log is kept.
# usage: KERNEL=vmlinuz qemu-run.sh WORKDIR SCRIPT BINARY...
# knobs: MEM (MiB, 1024), SMP (2), TMO (seconds, 300)
set -u
work=$1 script=$2
shift 2
: "${KERNEL:?set KERNEL to a vmlinuz}"
mem=${MEM:-1024} smp=${SMP:-2} tmo=${TMO:-300}
w=$(mktemp -d "$work/run.XXXXXX")
root=$w/root
mkdir -p "$root"/{bin,dev,proc,sys,tmp}
cp "$(command -v busybox)" "$root/bin/busybox"
for b in "$@"; do cp "$b" "$root/bin/"; done
cp "$script" "$root/test.sh"
# /dev/console must exist before devtmpfs is mounted, or /init may get no stdout
mknod -m 600 "$root/dev/console" c 5 1
cat >"$root/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug
mount -t tracefs tracefs /sys/kernel/tracing
mount -t bpf bpf /sys/fs/bpf
mount -t tmpfs tmpfs /tmp
ip link set lo up
echo
echo "GUEST-START $(uname -r)"
sh /test.sh
echo "GUEST-EXIT=$?"
poweroff -f
INIT
chmod 755 "$root/init"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$w/initramfs.cpio.gz"
# the serial console brings CRs and the firmware's escape sequences: strip them
timeout "$tmo" qemu-system-x86_64 -accel tcg -m "$mem" -smp "$smp" -nic none \
	-kernel "$KERNEL" -initrd "$w/initramfs.cpio.gz" \
	-append 'console=ttyS0 quiet panic=-1' -nographic -no-reboot </dev/null 2>&1 |
	tr -d '\r' | sed -u 's/\x1b\[[0-9;?]*[a-zA-Z]//g; s/\x1bc//g' | tee "$w/console.log" |
	sed -n '/^GUEST-START/,$p'
rc=$(grep -a -o 'GUEST-EXIT=[0-9]*' "$w/console.log" | cut -d= -f2)
rm -rf "$root"
if [ -n "$rc" ]; then
	rm -rf "$w"
	exit "$rc"
fi
echo "qemu-run: no GUEST-EXIT marker; console log kept in $w/console.log" >&2
exit 125
