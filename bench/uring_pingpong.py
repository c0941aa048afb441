#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""io_uring TCP ping-pong (one SQE per io_uring_enter), untraced and traced
side by side, runs interleaved; the loop's own timing (uring_peer echo) so
socktrace's start-up is not counted.  Prints medians and min-max, writes CSV."""
import json, os, statistics, subprocess, sys, tempfile

build = os.environ.get("BUILD", os.path.join(os.path.dirname(__file__), "..", "build"))
peer, tool = os.path.join(build, "tests", "uring_peer"), os.path.join(build, "socktrace")
n, runs = int(os.environ.get("MESSAGES", 20000)), int(os.environ.get("RUNS", 5))
out_dir = os.path.join(build, "bench")
os.makedirs(out_dir, exist_ok=True)
tmp = tempfile.mkdtemp()

configs = {
    "untraced": [],
    "requests (-e io_uring, list view to a file)": [tool, "run", "-q", "-e", "io_uring", "-o", f"{tmp}/t.txt", "--"],
    "requests (-e io_uring, JSON to a file)": [tool, "run", "-q", "-e", "io_uring", "--format", "json", "-o", f"{tmp}/t.json", "--"],
}

def one(prefix):
    oracle = f"{tmp}/o.jsonl"
    subprocess.run(prefix + [peer, "-o", oracle, "echo", str(n)], check=True)
    last = json.loads(open(oracle).read().splitlines()[-1])
    assert last["recv"] == n and last["send"] == n, last
    return n / last["secs"]

rates = {k: [] for k in configs}
for _ in range(runs):
    for k, prefix in configs.items():
        rates[k].append(one(prefix))
base = statistics.median(rates["untraced"])
print(f"io_uring ping-pong, {n} round trips of 32 B over 127.0.0.1, {runs} interleaved runs")
print(f"{'configuration':48} {'round trips/s':>14} {'min-max':>17} {'slowdown':>9}")
rows = []
for k, v in rates.items():
    med = statistics.median(v)
    rows.append((k, med, min(v), max(v), base / med))
    print(f"{k:48} {med:14.0f} {min(v):8.0f}-{max(v):<8.0f} {base / med:8.2f}x")
with open(os.path.join(out_dir, "uring_pingpong.csv"), "w") as f:
    f.write("configuration,round_trips_per_s,min,max,slowdown\n")
    for r in rows:
        f.write('"%s",%.0f,%.0f,%.0f,%.3f\n' % r)
