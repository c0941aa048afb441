#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""Compare socktrace --format json with the calls a test program says it made.

usage: oracle.py ORACLE.jsonl TRACE.jsonl [--pid PID]
Every oracle call must appear in the trace once, in order, with the same fd,
result and errno; the trace may hold other calls only if they are not socket
calls of the same process (e.g. the runtime's own).  Prints the matched trace
records as JSON Lines for further checks, or a diff and exit 1.
"""
import json
import sys

def load(path):
    with open(path) as f:
        return [json.loads(l) for l in f if l.strip()]

def main():
    oracle, trace = load(sys.argv[1]), load(sys.argv[2])
    pid = int(sys.argv[sys.argv.index("--pid") + 1]) if "--pid" in sys.argv else None
    calls = [r for r in trace if r["type"] == "call" and (pid is None or r["pid"] == pid)]
    names = {o["call"] for o in oracle}
    calls = [c for c in calls if c["call"] in names]
    errors = []
    if len(calls) != len(oracle):
        errors.append(f"trace has {len(calls)} calls of {sorted(names)}, oracle {len(oracle)}")
    for i, (o, c) in enumerate(zip(oracle, calls)):
        got = {"call": c["call"], "ret": c["ret"]}
        want = {"call": o["call"], "ret": o["ret"]}
        if o["fd"] >= 0:
            got["fd"] = c["args"].get("fd")
            want["fd"] = o["fd"]
        if "errno" in o:
            got["errno"] = c.get("errno")
            want["errno"] = o["errno"]
        if got != want:
            errors.append(f"call {i}: want {want}, got {got}")
    if errors:
        print("\n".join(errors), file=sys.stderr)
        print("trace calls:", *[json.dumps(c) for c in calls], sep="\n", file=sys.stderr)
        return 1
    for c in calls:
        print(json.dumps(c))
    return 0

if __name__ == "__main__":
    sys.exit(main())
