#!/usr/bin/env python3
# SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
"""make bench: the epoll demo server under the load client, untraced and traced
side by side (runs interleaved A B A B ...), medians and min-max.  A benchmark,
not a test: it asserts nothing.  Writes build/bench/bench.{csv,json}.  A ratio
is the median over the rounds of a run's round trips over the same round's
untraced run's (paired: the machine's drift between rounds cancels).  Three
rows explain the others: "floor" is what attaching the syscall tracepoints
costs before any call is traced, "kernel" the list view with its reader
stopped (the in-kernel tracing alone; list minus kernel is what the reader's
CPU costs), and "reference" the design the issue measured peers against
(bench/refprint: every syscall as one bare line, nothing decoded).

"failed" is the timeline of failed calls (-Z): none fail here, so it is the
cost of pairing every call in the kernel and dropping it there.

"per call" is what each configuration adds to a call's time in one thread making
calls as fast as it can (bench/callloop), where the reader has the other CPU to
itself: the in-kernel cost a call, without the server's and the client's
scheduling.

Environment: RUNS (5), SECONDS (3), CONNECTIONS (50), SIZES ("64 4096"),
CONFIGS (a subset of the rows, e.g. "untraced list failed")."""
import json, os, re, shutil, signal, socket, statistics, subprocess, sys, tempfile, time

build = os.path.abspath(os.environ.get("BUILD", os.path.join(os.path.dirname(__file__), "..", "build")))
tool = os.path.join(build, "socktrace")
runs = int(os.environ.get("RUNS", 5))
secs = float(os.environ.get("SECONDS", 3))
conns = int(os.environ.get("CONNECTIONS", 50))
sizes = [int(s) for s in os.environ.get("SIZES", "64 4096").split()]
out_dir = os.path.join(build, "bench")
os.makedirs(out_dir, exist_ok=True)
tmp = tempfile.mkdtemp()


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start_server():
    port = free_port()
    p = subprocess.Popen([tool, "serve", "epoll", "--port", str(port)], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    p.stdout.readline()  # "... echo server on 127.0.0.1:PORT"
    return p, port


def proc_cpu(pid):
    try:
        f = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
        return (int(f[11]) + int(f[12])) / os.sysconf("SC_CLK_TCK")
    except OSError:
        return 0.0


def proc_hwm(pid):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def tracer_cmd(name, pid, out):
    if name == "untraced":
        return None
    if name == "reference":
        return [os.path.join(out_dir, "refprint"), str(pid), out]
    if name == "strace":
        return ["strace", "-f", "-e", "trace=network", "-o", out, "-p", str(pid)]
    args = {"list": [], "json": ["--format", "json"], "summary": ["-c"],
            # diagnostics: the syscall tracepoints with every call filtered out in the
            # kernel (the epoll server binds nothing once running), and the list view's
            # kernel side alone (its reader stopped, a ring big enough to hold the run)
            "floor": ["-e", "bind"], "kernel": ["--buffer-size", "512M"],
            # the timeline of failed calls only (-Z): the echo server's calls all
            # succeed, so every one is paired in the kernel and dropped there
            "failed": ["-Z"]}[name]
    return [tool, "attach", "-o", out] + args + [str(pid)]


def wait_attached(name, proc, out):
    # socktrace writes its header (or JSON start record) once every probe is attached
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if name == "strace":
            time.sleep(0.5)
            return
        if os.path.exists(out) and os.path.getsize(out) > 0:
            return
        if proc.poll() is not None:
            raise SystemExit(f"{name}: the tracer exited early")
        time.sleep(0.02)


def delivered(name, out):
    """(events delivered, events lost) as the tracer's own output says."""
    try:
        text = open(out, errors="replace").read()
    except OSError:
        return 0, 0
    if name == "strace":
        return text.count("\n"), 0
    if name == "reference":
        m = re.findall(r"^# (\d+) calls, (\d+) lost", text, re.M)
        return (int(m[-1][0]), int(m[-1][1])) if m else (0, 0)
    if name == "json":
        end = [json.loads(l) for l in text.splitlines() if l.startswith('{"type":"end"')]
        return (end[-1]["calls"], end[-1]["lost"]) if end else (0, 0)
    m = re.findall(r"— (\d+) calls? traced, (?:\d+ io_uring completions?, )?"
                   r"(?:\d+ not shown \([^)]*\), )*(\d+) events? lost", text)
    return (int(m[-1][0]), int(m[-1][1])) if m else (0, 0)


def start_tracer(name, pid, out):
    """The tracer `name` on pid, writing out, once attached; None for untraced."""
    if os.path.exists(out):
        os.unlink(out)
    cmd = tracer_cmd(name, pid, out)
    if not cmd:
        return None
    tracer = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_attached(name, tracer, out)
    return tracer


def stop_tracer(name, tracer, out, timeout=10):
    """SIGINT, as a user stops it; (events delivered, events lost) from its output."""
    tracer.send_signal(signal.SIGINT)
    try:
        tracer.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        tracer.kill()
    return delivered(name, out)


def one(name, port, pid, size, connections, rnd):
    out = os.path.join(tmp, f"{name}.out")
    tracer = start_tracer(name, pid, out)
    cpu0 = proc_cpu(tracer.pid) if tracer else 0
    if name == "kernel":
        tracer.send_signal(signal.SIGSTOP)
    t0 = time.monotonic()
    r = subprocess.run([tool, "load", "--port", str(port), "--connections", str(connections),
                        "--size", str(size), "--duration", str(secs), "--format", "json"],
                       capture_output=True, text=True)
    wall = time.monotonic() - t0
    if name == "kernel":
        tracer.send_signal(signal.SIGCONT)
    res = json.loads(r.stdout)
    row = {"config": name, "size": size, "connections": connections, "round": rnd,
           "round_trips_per_s": res["round_trips_per_s"], "errors": res["errors"],
           "p50_ns": res["p50_ns"], "p99_ns": res["p99_ns"]}
    if tracer:
        row["tracer_cpu_pct"] = 100 * (proc_cpu(tracer.pid) - cpu0) / wall
        # (the stopped reader's RSS would be the ring it reads afterwards)
        row["tracer_rss_mb"] = proc_hwm(tracer.pid) if name != "kernel" else 0.0
        ev, lost = stop_tracer(name, tracer, out)
        row["events"] = ev
        row["events_per_s"] = ev / wall
        row["lost"] = lost
    return row


def attach_latency():
    """ms from `socktrace run -- true` starting to the child's exec (its wall time)."""
    out = os.path.join(tmp, "lat.jsonl")
    t0 = time.time_ns()
    subprocess.run([tool, "run", "-t", "--format", "json", "-o", out, "--", "true"], check=True,
                   stderr=subprocess.DEVNULL)
    for l in open(out):
        r = json.loads(l)
        if r["type"] == "exec":
            return (r["wall_ns"] - t0) / 1e6
    return float("nan")


def consumer_stress(producers, n=300000):
    """A burst of n getsockname calls from `producers` traced processes at once into a
    64 MiB ring: calls/s from the first call to the last write of the output (its end
    record, written once every call is; the file's mtime, a 4 ms clock), what was lost,
    and calls per second of the reader's own CPU time (its start-up, measured by
    `run -- true`, taken off).  One producer is bound by its own traced syscalls; two,
    one per CPU, load the reader more than one thread can."""
    out = os.path.join(tmp, "burst.jsonl")
    peer = os.path.join(build, "tests", "peerpair")

    def reader_cpu(cmd):
        p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        last = 0.0
        while p.poll() is None:
            last = proc_cpu(p.pid) or last
            time.sleep(0.005)
        return last

    startup = statistics.median(reader_cpu([tool, "run", "-q", "--", "true"]) for _ in range(3))
    burst = " & ".join([f"{peer} burst {n // producers}"] * producers) + "; wait"
    cpu = reader_cpu([tool, "run", "-t", "--buffer-size", "64M", "-e", "getsockname", "--format",
                      "json", "-o", out, "--", "/bin/sh", "-c", burst])
    t_end = os.stat(out).st_mtime_ns
    first = None
    for l in open(out):
        if '"call":"getsockname"' in l:
            first = json.loads(l)["wall_ns"]
            break
    end = [json.loads(l) for l in open(out) if l.startswith('{"type":"end"')][-1]
    rate = end["calls"] / ((t_end - first) / 1e9) if first else 0
    return rate, end["lost"], end["calls"] / max(cpu - startup, 1e-3)


def call_cost(name, n):
    """(ns a call, calls the tracer delivered) for bench/callloop: n send/recv round trips by
    one thread, traced by `name` (attached before the loop starts).  The tracer's reader
    runs on the other CPU, so this is what tracing adds in the kernel to each call."""
    out = os.path.join(tmp, f"cost-{name}.out")
    loop = subprocess.Popen([os.path.join(out_dir, "callloop"), str(n)], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    tracer = start_tracer(name, loop.pid, out)
    ns = float(loop.communicate("go\n")[0])
    return ns, stop_tracer(name, tracer, out, timeout=30)[0] if tracer else 0


def live_latency(calls=40, gap=0.025):
    """ms from a call to its line reaching a reader of socktrace's output (a pipe, as a
    terminal would be): the live view's lag.  Median and max of `calls` calls."""
    prog = ("import socket, time\n"
            f"for _ in range({calls}):\n"
            "    socket.socket().getsockname()\n"
            f"    time.sleep({gap})\n")
    # the program writes nothing to the stdout it shares: the warning that says so is
    # kept with the rest of socktrace's stderr, shown only if no line came
    p = subprocess.Popen([tool, "run", "-t", "--format", "json", "-e", "getsockname", "--",
                          "/usr/bin/python3", "-c", prog], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    lags = []
    for line in p.stdout:
        now = time.time_ns()
        if '"call":"getsockname"' in line:
            r = json.loads(line)
            lags.append((now - r["wall_ns"] - r["dur_ns"]) / 1e6)
    err = p.stderr.read()
    p.wait()
    if not lags:
        raise SystemExit(f"live view: no call came through:\n{err}")
    return statistics.median(lags), max(lags)


configs = ["untraced"] + (["reference"] if os.access(os.path.join(out_dir, "refprint"), os.X_OK) else []) + \
    ["floor", "kernel", "list", "json", "summary", "failed"] + (["strace"] if shutil.which("strace") else [])
if "strace" not in configs:
    print("note: strace is not installed: its row is left out")
if "reference" not in configs:
    print(f"note: {out_dir}/refprint is not built (make bench builds it): its row is left out")
if os.environ.get("CONFIGS"):  # a subset (ratios need the untraced row), for a quick side-by-side
    configs = [c for c in configs if c == "untraced" or c in os.environ["CONFIGS"].split()]
rows = []
server, port = start_server()
try:
    # and one latency-bound connection (once, if CONNECTIONS=1 asked for it already)
    workloads = list(dict.fromkeys([(s, conns) for s in sizes] + [(64, 1)]))
    for size, c in workloads:
        for rnd in range(runs):
            for name in configs:
                rows.append(one(name, port, server.pid, size, c, rnd))
finally:
    server.send_signal(signal.SIGTERM)
    server.wait()

summary = []
print(f"epoll echo server under the load client, {secs:g} s per run, {runs} runs interleaved; "
      "medians (min-max)")
hdr = f"{'workload':18} {'config':9} {'round trips/s':>22} {'ratio':>6} {'events/s':>10} {'lost':>6} {'CPU%':>6} {'RSS MiB':>7}"
print(hdr)
for size, c in workloads:
    base = {r["round"]: r["round_trips_per_s"] for r in rows
            if r["config"] == "untraced" and r["size"] == size and r["connections"] == c}
    for name in configs:
        sel = [r for r in rows if r["config"] == name and r["size"] == size and r["connections"] == c]
        rts = [r["round_trips_per_s"] for r in sel]
        med = statistics.median(rts)
        s = {"workload": f"{c} conn x {size} B", "config": name, "round_trips_per_s": med,
             "min": min(rts), "max": max(rts),
             "ratio": statistics.median(r["round_trips_per_s"] / base[r["round"]] for r in sel
                                        if base[r["round"]])}
        if name != "untraced":
            s["events_per_s"] = statistics.median(r["events_per_s"] for r in sel)
            s["lost"] = max(r["lost"] for r in sel)
            s["tracer_cpu_pct"] = statistics.median(r["tracer_cpu_pct"] for r in sel)
            s["tracer_rss_mb"] = max(r["tracer_rss_mb"] for r in sel)
        summary.append(s)
        print(f"{s['workload']:18} {name:9} {med:9.0f} ({min(rts):.0f}-{max(rts):.0f}) {s['ratio']:6.2f} "
              f"{s.get('events_per_s', 0):10.0f} {s.get('lost', 0):6} {s.get('tracer_cpu_pct', 0):6.1f} "
              f"{s.get('tracer_rss_mb', 0):7.1f}")

cost_configs = [c for c in configs if c != "kernel"]  # one thread: the reader has the other CPU
cost_n = 100000
costs = {c: [] for c in cost_configs}
if os.access(os.path.join(out_dir, "callloop"), os.X_OK):
    for rnd in range(runs):
        for name in cost_configs:
            # strace stops the thread twice a call: a tenth of the loop says as much
            costs[name].append(call_cost(name, cost_n // 10 if name == "strace" else cost_n))
    print(f"\nper call: bench/callloop, {cost_n} round trips (strace: {cost_n // 10}) of a send and a "
          f"recv over UDP on 127.0.0.1 by one thread, {runs} runs interleaved; ns a call, medians "
          "(min-max)")
    print(f"{'config':9} {'ns a call':>24} {'added':>8} {'calls traced':>13}")
    for name in cost_configs:
        ns = [c[0] for c in costs[name]]
        added = statistics.median(c[0] - u[0] for c, u in zip(costs[name], costs["untraced"]))
        ev = statistics.median(c[1] for c in costs[name])
        summary.append({"workload": "callloop", "config": name, "ns_per_call": statistics.median(ns),
                        "min": min(ns), "max": max(ns), "added_ns": added, "events": ev})
        shown = f"{statistics.median(ns):.0f} ({min(ns):.0f}-{max(ns):.0f})"
        print(f"{name:9} {shown:>24} {added:8.0f} {ev:13.0f}")
else:
    print(f"note: {out_dir}/callloop is not built (make bench builds it): no per-call costs")

lats = [attach_latency() for _ in range(9)]
lat = statistics.median(lats)
bursts = {k: [consumer_stress(k) for _ in range(3)] for k in (1, 2)}
rate = {k: statistics.median(b[0] for b in v) for k, v in bursts.items()}
lost = max(b[1] for v in bursts.values() for b in v)
capacity = statistics.median(b[2] for v in bursts.values() for b in v)
live_med, live_max = live_latency()
print(f"\nattach latency (socktrace run -- true: start to the child's exec): {lat:.0f} ms "
      f"(median of 9, {min(lats):.0f}-{max(lats):.0f})")
for k, v in bursts.items():
    print(f"consumer: a burst of 300000 getsockname calls from {k} traced process{'es' if k > 1 else ''}, "
          f"3 times: {rate[k]:.0f} calls/s delivered end to end "
          f"({min(b[0] for b in v):.0f}-{max(b[0] for b in v):.0f})")
print(f"  {lost} lost (64 MiB ring); the reader alone: {capacity:.0f} calls per CPU-second (JSON)")
print(f"live view: a call reaches a reader of the output {live_med:.1f} ms after it returns "
      f"(median; max {live_max:.1f} ms)")

with open(os.path.join(out_dir, "bench.json"), "w") as f:
    json.dump({"rows": summary, "runs": rows, "attach_latency_ms": lat,
               "consumer_calls_per_s": {str(k): r for k, r in rate.items()}, "consumer_lost": lost,
               "reader_calls_per_cpu_s": capacity, "live_lag_ms_median": live_med,
               "live_lag_ms_max": live_max}, f, indent=1)
with open(os.path.join(out_dir, "bench.csv"), "w") as f:
    f.write("workload,config,round_trips_per_s,min,max,ratio,events_per_s,lost,tracer_cpu_pct,"
            "tracer_rss_mb,ns_per_call,added_ns,events\n")
    for s in summary:
        f.write(",".join(str(s.get(k, "")) for k in
                         ("workload", "config", "round_trips_per_s", "min", "max", "ratio",
                          "events_per_s", "lost", "tracer_cpu_pct", "tracer_rss_mb",
                          "ns_per_call", "added_ns", "events")) + "\n")
print(f"written: {out_dir}/bench.csv, bench.json")
