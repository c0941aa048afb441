#!/usr/bin/env bash
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
# Fetches Debian's stock kernel image (which has kprobes, fentry and BTF)
# without installing it: apt-get download + dpkg-deb -x into DIR, printing
# the path of its vmlinuz.  Cached: a second run downloads nothing.
# usage: fetch-kernel.sh DIR
set -euo pipefail
dir=$(mkdir -p "$1" && cd "$1" && pwd)

cd "$dir"
existing=$(ls "$dir"/kdeb/boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -1 || true)
if [ -n "$existing" ]; then
	echo "$existing"
	exit 0
fi
# the package the linux-image-amd64 metapackage points at today
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
if [ -z "$pkg" ]; then
	apt-get update -qq >&2
	pkg=$(apt-cache depends linux-image-amd64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-amd64\)$/\1/p' | head -1)
fi
[ -n "$pkg" ] || { echo "fetch-kernel: no linux-image-*-amd64 package found (apt-get update?)" >&2; exit 1; }
# apt-get download as root warns that the _apt sandbox cannot reach this folder: harmless
apt-get download -q "$pkg" >&2 2>/dev/null || apt-get download "$pkg" >&2
dpkg-deb -x "$pkg"_*.deb kdeb
rm -f "$pkg"_*.deb
ls "$dir"/kdeb/boot/vmlinuz-*-amd64 | sort -V | tail -1
