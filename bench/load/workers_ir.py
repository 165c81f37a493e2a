"""The Workers receiver's instructions per request: the load app (apps/workers_app.mjs, bundled
by apps/workers_build.mjs as run.py bundles it) served by the pinned workerd under valgrind's
callgrind, so the figure does not depend on the machine's load.

    python bench/load/workers_ir.py CORPUS.jsonl [--inproc] [--warm 3000] [--count 1000] [--rounds 2]
                                    [--routes sdk,hand,empty] [--connections 16] [--annotate DIR]
                                    [--bundle DIR]

node_ir.py's method: the good deliveries of the corpus that wrk.lua replays; a warm-up (each
route until it answered ``--warm`` requests: V8 tiers the JavaScript and the wasm module up on
other threads for a while); then each round measures every route in a rotating order: the
counters zeroed (``callgrind_control -z``), ``--count`` requests to the route, the counters
dumped (``-d``). Figures: instructions per answered request, the main thread (workerd's event
loop: the HTTP layer, the isolate's JavaScript and wasm) and all threads (V8's compiler and
garbage-collector helpers as well), median over rounds, and every round.

The driver: wrk at run.py's concurrency (the default), or with ``--inproc`` the app's routes
called inside the isolate one after another (apps/workers_inproc.mjs, batches of 1,000 per HTTP
request to its /__inproc route): no HTTP layer in the figure, and far steadier. Under wrk the
rounds vary by some 10%: under valgrind workerd throws C++ exceptions (kj's, with a stack trace,
~35k instructions each) at most requests, a number that moves with the timing, which the native
server does not. Either way /sdk - /empty is the receiver's own work.

workerd runs under callgrind without special flags (valgrind 3.19: the default
``--smc-check=all-non-file`` covers V8's code space), at some 30-100 requests/s, so a run of
the defaults takes 5-15 minutes. ``--annotate DIR`` keeps the last round's dumps there
(``callgrind_annotate --inclusive=no --threshold=100 DIR/sdk-1`` lists workerd's and V8's
functions; JIT-compiled JavaScript and wasm show as ``???:0x...``). ``--bundle DIR`` serves a
saved workers_build.mjs output (of another commit: the same entry, workers_inproc.mjs with
``--inproc``) instead of the worktree's build.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from axum_ir import control  # noqa: E402
from node_ir import dump, print_table, totals, until  # noqa: E402
from run import TOKEN, free_port, wrk_corpus  # noqa: E402




def inproc(port: int, route: str, corpus: str, count: int) -> int:
    """`count` requests to `route` inside the isolate (workers_inproc.mjs), in batches of at most
    1000 (one HTTP request each, short of workerd's per-request limits); all must be 2xx."""
    done = 0
    with open(corpus, "rb") as f:
        body = f.read()
    while done < count:
        n = min(1000, count - done)
        req = urllib.request.Request(f"http://127.0.0.1:{port}/__inproc?route={route}&n={n}", data=body,
                                     headers={"content-type": "text/plain"}, method="POST")
        with urllib.request.urlopen(req, timeout=600) as r:
            got = json.loads(r.read())
        if got["ok"] != n:
            raise SystemExit(f"/{route} in process: {n - got['ok']} answers other than 2xx")
        done += n
    return done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus")
    ap.add_argument("--warm", type=int, default=3000, help="warm-up requests per route")
    ap.add_argument("--count", type=int, default=1000, help="requests per measured batch (at least)")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--routes", default="sdk,hand,empty")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--annotate", help="keep the last round's dumps in this directory")
    ap.add_argument("--inproc", action="store_true",
                    help="call the routes in the isolate (apps/workers_inproc.mjs), not over HTTP under wrk")
    ap.add_argument("--bundle", help="serve this workers_build.mjs output (a saved build, e.g. of another commit) "
                    "instead of building the worktree's")
    args = ap.parse_args()

    routes = args.routes.split(",")
    out_dir = tempfile.mkdtemp(prefix="pv-workers-ir-")
    corpus = os.path.join(out_dir, "corpus.wrk")
    wrk_corpus(args.corpus, corpus, 2000)
    entry = "workers_inproc.mjs" if args.inproc else "workers_app.mjs"
    built = subprocess.run(["node", "workers_build.mjs", out_dir, entry], cwd=os.path.join(HERE, "apps"),
                           capture_output=True, text=True, timeout=120)
    if built.returncode != 0:
        raise SystemExit(f"workers_build.mjs failed:\n{built.stdout}\n{built.stderr}")
    workerd = built.stdout.strip().splitlines()[-1]
    if args.bundle:
        for name in os.listdir(args.bundle):
            if name.endswith((".mjs", ".wasm", ".capnp")):
                shutil.copy(os.path.join(args.bundle, name), out_dir)
    out = os.path.join(out_dir, "callgrind.out")
    port = free_port()
    log = open(os.path.join(out_dir, "valgrind.log"), "wb")
    proc = subprocess.Popen(
        ["valgrind", "--tool=callgrind", "--separate-threads=yes", f"--callgrind-out-file={out}",
         workerd, "serve", os.path.join(out_dir, "config.capnp"), "--socket-addr", f"http=127.0.0.1:{port}"],
        cwd=out_dir, stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, PV_LOAD_TOKEN=TOKEN))
    figures: dict[str, list[tuple[float, float]]] = {r: [] for r in routes}
    kept: dict[str, list[str]] = {}
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"workerd exited at start: see {out_dir}/valgrind.log")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/__stats", timeout=10) as r:
                    r.read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("workerd did not answer within 180 s under callgrind") from None
                time.sleep(1)
        def drive(r: str, n: int) -> int:
            return inproc(port, r, corpus, n) if args.inproc else until(port, r, corpus, n, args.connections)

        for r in routes:
            drive(r, args.warm)
        for i in range(args.rounds):
            k = i % len(routes)
            for r in routes[k:] + routes[:k]:
                before = set(glob.glob(out + "*"))
                control("-z", str(proc.pid))
                n = drive(r, args.count)
                new = dump(proc.pid, out, before)
                total, main_thread = totals(new)
                figures[r].append((main_thread / n, total / n))
                kept[r] = new
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    if args.annotate:
        os.makedirs(args.annotate, exist_ok=True)
        for r, files in kept.items():
            for f in files:
                shutil.copy(f, os.path.join(args.annotate, f"{r}-{f.rsplit('-', 1)[-1].lstrip('0')}"))
    how = "in the isolate" if args.inproc else f"wrk -c{args.connections}"
    print(f"workers (workerd), instructions per request (callgrind, {how}, {args.rounds} rounds of "
          f"at least {args.count} requests after {args.warm} per route)")
    print_table(routes, figures)
    print("rounds (main thread): " + "; ".join(f"/{r} " + ", ".join(f"{x[0]:,.0f}" for x in v) for r, v in figures.items()))
    shutil.rmtree(out_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
