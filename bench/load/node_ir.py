"""The Node receivers' instructions per request: a load app (apps/nodehttp_app.js,
fastify_app.js, express_app.js, the same ones run.py loads) under valgrind's callgrind, driven by
wrk at run.py's concurrency, so the figure does not depend on the machine's load.

    python bench/load/node_ir.py CORPUS.jsonl [--app nodehttp|fastify|express] [--warm 5000]
                                 [--count 2000] [--rounds 2] [--routes sdk,hand,empty]

A single keep-alive client (axum_ir.py's way) measures another server than the one under load:
one request per event-loop turn, where wrk's 16 connections have the app serve several per
turn. The deliveries are the good ones of the corpus that wrk.lua replays. After a warm-up (each
route until it answered ``--warm`` requests: V8 compiles the hot functions on other threads for
a while, so a warm-up by time leaves a slow, loaded machine measuring the compiler), each round
measures every route in a rotating order: callgrind's counters are zeroed (``callgrind_control
-z``), wrk runs against the route until it answered ``--count`` requests, the counters are
dumped (``-d``). Figures: instructions per answered request, the main thread (the event loop:
JavaScript, the HTTP parser, the addon) and all threads (V8's compiler and garbage collector
helpers as well; these come in bursts, so they vary more), median over rounds. Everything in
user space, Node's and the framework's share included (the same on the three routes: /sdk -
/empty is the receiver's own work); not the kernel's.
"""

from __future__ import annotations

import argparse
import glob
import os
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from axum_ir import control  # noqa: E402
from run import TOKEN, free_port, ok_count, run_wrk, wrk_corpus  # noqa: E402


def totals(files: list[str]) -> tuple[int, int]:
    """Instructions in a dump: all threads, and the main thread's (callgrind's thread 1)."""
    total = main = 0
    for path in files:
        thread, ir = 0, 0
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("thread:"):
                    thread = int(line.split()[1])
                elif line.startswith(("summary:", "totals:")):
                    ir = int(line.split()[1])
                    break
        total += ir
        if thread == 1:
            main += ir
    return total, main


def until(port: int, route: str, corpus: str, count: int, connections: int) -> int:
    """wrk against `route`, 5 s at a time, until `count` answers (all 2xx); how many."""
    answered = 0
    while answered < count:
        w = run_wrk(port, f"/{route}?token={TOKEN}", corpus, 5, connections)
        if ok_count(w) != w["requests"]:
            raise SystemExit(f"/{route}: answers other than 2xx: {w['status']}")
        answered += w["requests"]
    return answered


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--app", default="nodehttp", choices=("nodehttp", "fastify", "express"))
    ap.add_argument("--warm", type=int, default=5000, help="warm-up requests per route")
    ap.add_argument("--count", type=int, default=2000, help="requests per measured batch (at least)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--routes", default="sdk,hand,empty")
    ap.add_argument("--connections", type=int, default=16)
    args = ap.parse_args()

    routes = args.routes.split(",")
    out_dir = tempfile.mkdtemp(prefix=f"pv-node-ir-{args.app}-")
    corpus = os.path.join(out_dir, "corpus.wrk")
    wrk_corpus(args.corpus, corpus, 2000)
    out = os.path.join(out_dir, "callgrind.out")
    port = free_port()
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={out}",
         "node", f"{args.app}_app.js", str(port)],
        cwd=os.path.join(HERE, "apps"), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        env=dict(os.environ, PV_LOAD_TOKEN=TOKEN))
    figures: dict[str, list[tuple[float, float]]] = {r: [] for r in routes}
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode()
        if not line.startswith("listening"):
            raise SystemExit(f"server did not start: {line!r}")
        for r in routes:
            until(port, r, corpus, args.warm, args.connections)
        for i in range(args.rounds):
            k = i % len(routes)
            for r in routes[k:] + routes[:k]:
                before = set(glob.glob(out + "*"))
                control("-z", str(proc.pid))
                n = until(port, r, corpus, args.count, args.connections)
                new = dump(proc.pid, out, before, settle=0.5)
                total, main_thread = totals(new)
                figures[r].append((main_thread / n, total / n))
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    print(f"{args.app}, instructions per request (callgrind, wrk -c{args.connections}, {args.rounds} rounds of "
          f"at least {args.count} requests after {args.warm} per route)")
    print_table(routes, figures)


def dump(pid: int, out: str, before: set[str], settle: float = 1.0) -> list[str]:
    """Dumps the counters; the new files (one per thread), once written (workers_ir.py too)."""
    control("-d", str(pid))
    for _ in range(200):
        if set(glob.glob(out + "*")) - before:
            break
        time.sleep(0.05)
    time.sleep(settle)  # every thread's file written
    return sorted(set(glob.glob(out + "*")) - before)


def print_table(routes: list[str], figures: dict[str, list[tuple[float, float]]]) -> None:
    """Each route's median instructions per request (main thread, all threads) over its rounds,
    as a markdown table, and the SDK's over the hand-written route's (workers_ir.py too)."""
    med = {r: (statistics.median(x[0] for x in v), statistics.median(x[1] for x in v)) for r, v in figures.items()}
    print("| route | main thread | all threads | main over /empty |")
    print("|---|---:|---:|---:|")
    for r in routes:
        over = f"{med[r][0] - med['empty'][0]:,.0f}" if "empty" in med else ""
        print(f"| /{r} | {med[r][0]:,.0f} | {med[r][1]:,.0f} | {over} |")
    if "sdk" in med and "hand" in med:
        print(f"sdk/hand: main thread {med['sdk'][0] / med['hand'][0]:.3f}, all threads {med['sdk'][1] / med['hand'][1]:.3f}")


if __name__ == "__main__":
    main()
