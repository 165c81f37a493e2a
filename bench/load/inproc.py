"""The Python receivers' cost per request, in process: no server, no sockets, no wrk.

    python bench/load/inproc.py CORPUS.jsonl [--frameworks fastapi,fastapi-route,flask,django] [--n 2000]
                                [--rounds 5] [--callgrind [--count 1000] [--jobs 2]]

The same apps as run.py (bench/load/apps/*_app.py), the same routes (/sdk the SDK's receiver,
/hand the minimal hand-written one, /empty the framework's ceiling) and the same deliveries (the
first N good ones of the corpus, as wrk.lua replays them), driven by calling the application
directly: FastAPI as ASGI (``await app(scope, receive, send)``, the body in one message as
uvicorn hands over a small body that has arrived), Flask and Django as WSGI (``app(environ,
start_response)``, the body in a BytesIO as gunicorn's reader). Every answer must be 200. What
this leaves out is the server (HTTP parsing, sockets, the event loop's or the thread pool's
scheduling), which is the same for the three routes: the figures are the app's own work, the
part a receiver can change, and they do not depend on the machine's other tenants as wall time
under wrk does.

Default: CPU time. Each framework runs in its own process; ``--rounds`` rounds, each running
every route over the N deliveries in an order rotating by one each round; the thread's CPU time
per request (median over rounds) and the SDK over each other route, paired round by round
(``sdk / other`` time: below 1 means the SDK costs less).

``--callgrind``: instructions per request (valgrind's callgrind; independent of the load). Python
cannot toggle callgrind's collection around the measured loop, so each figure is the difference
of two processes that do the same start-up and the same warm-up (every route over the N
deliveries once) and differ only in ``--count`` further requests to one route: (Ir(count) -
Ir(0)) / count. PYTHONHASHSEED is fixed so that both processes hash alike. ``--jobs`` valgrind
processes run at a time. (About 10 minutes for the three frameworks on 2 cores.)
"""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from run import good_deliveries  # noqa: E402  (the same deliveries wrk replays)

TOKEN = "load-token"
ROUTES = ("sdk", "hand", "empty")
FRAMEWORKS = ("fastapi", "fastapi-route", "flask", "django")

Delivery = tuple[str, bytes]


def deliveries(corpus: str, n: int) -> list[Delivery]:
    """The first ``n`` good deliveries, as run.py's wrk_corpus writes them for wrk.lua."""
    return [(ct, body.encode()) for ct, body in good_deliveries(corpus, n)]


# --------------------------------------------------------------------------------------------
# Drivers: run a list of deliveries against one route, checking that every answer is 200.


def asgi_driver(app: Any) -> Callable[[str, list[Delivery]], None]:
    import asyncio

    loop = asyncio.new_event_loop()
    query = f"token={TOKEN}".encode()

    async def one(path: str, ct: str, body: bytes) -> int:
        scope = {
            "type": "http", "asgi": {"version": "3.0", "spec_version": "2.4"}, "http_version": "1.1",
            "method": "POST", "scheme": "http", "path": path, "raw_path": path.encode(),
            "query_string": query, "root_path": "",
            "headers": [(b"host", b"127.0.0.1:8000"), (b"content-length", str(len(body)).encode()),
                        (b"content-type", ct.encode())],
            "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000), "state": {},
        }
        messages = [{"type": "http.request", "body": body, "more_body": False}]
        status = [0]

        async def receive() -> dict[str, Any]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = message["status"]

        await app(scope, receive, send)
        return status[0]

    async def batch(path: str, ds: list[Delivery]) -> None:
        for ct, body in ds:
            status = await one(path, ct, body)
            if status != 200:
                raise SystemExit(f"{path}: {status} for {body[:80]!r}")

    return lambda route, ds: loop.run_until_complete(batch(f"/{route}", ds))


def wsgi_driver(app: Any) -> Callable[[str, list[Delivery]], None]:
    base = {
        "REQUEST_METHOD": "POST", "SCRIPT_NAME": "", "QUERY_STRING": f"token={TOKEN}",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "REMOTE_PORT": "50000", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.version": (1, 0), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.multithread": True, "wsgi.multiprocess": False, "wsgi.run_once": False,
    }

    def run(route: str, ds: list[Delivery]) -> None:
        path = f"/{route}"
        for ct, body in ds:
            status: list[str] = []
            environ = dict(base, PATH_INFO=path, CONTENT_TYPE=ct, CONTENT_LENGTH=str(len(body)))
            environ["wsgi.input"] = io.BytesIO(body)
            result = app(environ, lambda s, h, exc_info=None: status.append(s))
            try:
                b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            if not status or not status[0].startswith("200"):
                raise SystemExit(f"{path}: {status} for {body[:80]!r}")

    return run


def driver(framework: str) -> Callable[[str, list[Delivery]], None]:
    sys.path.insert(0, os.path.join(HERE, "apps"))
    os.environ.setdefault("PV_LOAD_TOKEN", TOKEN)
    if framework in ("fastapi", "fastapi-route"):
        os.environ["PV_FASTAPI_SDK"] = "depends" if framework == "fastapi" else "route"  # as run.py
        import fastapi_app

        return asgi_driver(fastapi_app.app)
    if framework == "flask":
        import flask_app

        return wsgi_driver(flask_app.app)
    if framework == "django":
        import django_app

        return wsgi_driver(django_app.application)
    raise SystemExit(f"unknown framework {framework!r} (in process: {', '.join(FRAMEWORKS)})")


# --------------------------------------------------------------------------------------------
# Modes


def time_framework(framework: str, ds: list[Delivery], rounds: int) -> dict[str, Any]:
    """CPU ns per request per route (median over rounds) and the paired sdk/other ratios."""
    run = driver(framework)
    for route in ROUTES:  # warm-up: imports, caches, the receiver's first request
        run(route, ds)
    per: dict[str, list[float]] = {r: [] for r in ROUTES}
    for i in range(rounds):
        order = ROUTES[i % len(ROUTES):] + ROUTES[:i % len(ROUTES)]
        for route in order:
            t0 = time.thread_time_ns()
            run(route, ds)
            per[route].append((time.thread_time_ns() - t0) / len(ds))
    return {
        "ns": {r: statistics.median(v) for r, v in per.items()},
        "ratio": {o: statistics.median(s / x for s, x in zip(per["sdk"], per[o])) for o in ("hand", "empty")},
    }


def worker(framework: str, route: str, count: int, ds: list[Delivery]) -> None:
    """One callgrind process: the warm-up, then ``count`` requests to ``route``."""
    run = driver(framework)
    for r in ROUTES:
        run(r, ds)
    full, rest = divmod(count, len(ds))
    for _ in range(full):
        run(route, ds)
    if rest:
        run(route, ds[:rest])


def instructions(args: list[str]) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, *args]
    p = subprocess.run(cmd, env=env, capture_output=True, text=True)
    found = re.search(r"Collected\s*:\s*(\d+)", p.stderr)
    if p.returncode != 0 or not found:
        raise SystemExit(f"callgrind failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr[-2000:]}")
    return int(found.group(1))


def callgrind(a: argparse.Namespace, frameworks: list[str]) -> dict[str, dict[str, float]]:
    jobs: dict[tuple[str, str], list[str]] = {}
    for fw in frameworks:
        common = [os.path.abspath(__file__), a.corpus, "--n", str(a.n), "--worker", fw]
        jobs[(fw, "base")] = [*common, "--route", "sdk", "--count", "0"]
        for route in ROUTES:
            jobs[(fw, route)] = [*common, "--route", route, "--count", str(a.count)]
    with ThreadPoolExecutor(a.jobs) as pool:
        done = dict(zip(jobs, pool.map(instructions, jobs.values())))
    return {fw: {r: (done[(fw, r)] - done[(fw, "base")]) / a.count for r in ROUTES} for fw in frameworks}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    ap.add_argument("--n", type=int, default=2000, help="deliveries (the first good ones of the corpus)")
    ap.add_argument("--rounds", type=int, default=5, help="CPU-time rounds (rotating route order)")
    ap.add_argument("--callgrind", action="store_true", help="instructions per request under callgrind")
    ap.add_argument("--count", type=int, default=1000, help="callgrind: measured requests per route")
    ap.add_argument("--jobs", type=int, default=2, help="callgrind: valgrind processes at a time")
    ap.add_argument("--json", help="also write the figures here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--route", help=argparse.SUPPRESS)
    a = ap.parse_args()
    ds = deliveries(a.corpus, a.n)
    if a.worker:
        return worker(a.worker, a.route, a.count, ds)
    frameworks = a.frameworks.split(",")
    load = os.getloadavg()
    if a.callgrind:
        figures: dict[str, Any] = callgrind(a, frameworks)
        print(f"In-process instructions per request (callgrind, {a.count} requests per route over {len(ds)} "
              f"deliveries, start-up and warm-up subtracted); load average {load[0]:.2f} {load[1]:.2f}\n")
        print("| framework | /sdk | /hand | /empty | SDK / hand | SDK - empty |")
        print("|---|---:|---:|---:|---:|---:|")
        for fw, f in figures.items():
            print(f"| {fw} | {f['sdk']:,.0f} | {f['hand']:,.0f} | {f['empty']:,.0f} | "
                  f"{f['sdk'] / f['hand']:.2f} | {f['sdk'] - f['empty']:,.0f} |")
    else:
        figures = {}
        for fw in frameworks:
            # one process per framework: no framework's imports or caches weigh on another
            figures[fw] = _time_in_subprocess(a, fw)
        print(f"In-process CPU time per request (thread CPU time, median of {a.rounds} rounds over {len(ds)} "
              f"deliveries, routes in rotating order); load average {load[0]:.2f} {load[1]:.2f} at the start, "
              f"{os.getloadavg()[0]:.2f} at the end\n")
        print("| framework | /sdk µs | /hand µs | /empty µs | SDK / hand (paired) | SDK / empty (paired) |")
        print("|---|---:|---:|---:|---:|---:|")
        for fw, f in figures.items():
            ns, ratio = f["ns"], f["ratio"]
            print(f"| {fw} | {ns['sdk'] / 1e3:.1f} | {ns['hand'] / 1e3:.1f} | {ns['empty'] / 1e3:.1f} | "
                  f"{ratio['hand']:.2f} | {ratio['empty']:.2f} |")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"load": load, "callgrind": a.callgrind, "figures": figures}, f, indent=1)


def _time_in_subprocess(a: argparse.Namespace, fw: str) -> dict[str, Any]:
    code = ("import json, sys; sys.path.insert(0, %r); import inproc; "
            "ds = inproc.deliveries(%r, %d); print(json.dumps(inproc.time_framework(%r, ds, %d)))"
            % (HERE, a.corpus, a.n, fw, a.rounds))
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"{fw}: {p.stderr[-2000:]}")
    return json.loads(p.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
